//! Names and texts for simulated customers, in several languages and scripts.

/// Customer names: Latin with accents, Arabic, Devanagari, CJK, Cyrillic, Greek.
pub const NAMES: &[&str] = &[
    "Ana Júlia Gonçalves",
    "José Álvarez",
    "Zoë Ñúñez",
    "François Lefèvre",
    "Jürgen Groß",
    "Łukasz Wiśniewski",
    "محمد العلي",
    "فاطمة الزهراء",
    "प्रिया शर्मा",
    "राहुल वर्मा",
    "王小明",
    "李静",
    "佐藤 花子",
    "김민준",
    "Дмитрий Иванов",
    "Ольга Смирнова",
    "Νίκος Παπαδόπουλος",
    "Emma 🌸",
    "Chidi Okafor",
    "Nguyễn Thị Hương",
];

/// Opening messages.
pub const TEXTS: &[&str] = &[
    "Olá! Vocês têm o bolo de cenoura hoje?",
    "Bom dia, gostaria de saber o horário de funcionamento 😊",
    "Hola, ¿cuánto cuesta el envío a Mérida?",
    "¿Aceptan pagos con tarjeta? Gracias 🙏",
    "Bonjour, est-ce que la commande n° 4521 est prête ?",
    "Guten Tag! Ist die Größe M noch verfügbar?",
    "مرحبا، هل يمكنني حجز طاولة لأربعة أشخاص الليلة؟",
    "السلام عليكم، متى يصل الطلب؟",
    "नमस्ते, क्या आज डिलीवरी हो सकती है?",
    "मुझे दो किलो आम चाहिए 🥭",
    "你好，请问今天营业到几点？",
    "我想订两份午餐，谢谢！",
    "こんにちは、予約を変更できますか？",
    "안녕하세요, 주문 확인 부탁드려요",
    "Здравствуйте! Можно заказать доставку на завтра?",
    "Спасибо, всё получил 👍",
    "Hi! Is the blue one still in stock? 💙",
    "Can I pick it up at 5pm?",
    "Xin chào, shop còn hàng không ạ?",
    "👋😀🎉",
];

/// Answers to the business's replies.
pub const ANSWERS: &[&str] = &[
    "Obrigada! 😊",
    "Perfeito, combinado.",
    "¡Muchas gracias!",
    "Merci beaucoup !",
    "Danke schön!",
    "شكراً جزيلاً",
    "धन्यवाद!",
    "好的，谢谢！",
    "ありがとうございます",
    "Отлично, спасибо!",
    "Great, thanks! 🙌",
    "👍",
];

/// Reactions customers add to the business's messages.
pub const REACTIONS: &[&str] = &["👍", "❤️", "😂", "😮", "🙏", "🎉"];

/// Locations customers share: (latitude, longitude, name, address).
pub const PLACES: &[(f64, f64, &str, &str)] = &[
    (
        -23.5614,
        -46.6559,
        "Avenida Paulista",
        "Av. Paulista, 1578 - Bela Vista, São Paulo",
    ),
    (
        19.4326,
        -99.1332,
        "Zócalo",
        "Plaza de la Constitución, Ciudad de México",
    ),
    (30.0444, 31.2357, "ميدان التحرير", "القاهرة، مصر"),
    (28.6139, 77.209, "इंडिया गेट", "राजपथ, नई दिल्ली"),
    (35.6595, 139.7005, "渋谷駅", "東京都渋谷区"),
];

/// A tiny valid 1×1 PNG, used as the picture scripted customers send.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
