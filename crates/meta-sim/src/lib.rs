//! Meta WhatsApp Cloud API simulator.
