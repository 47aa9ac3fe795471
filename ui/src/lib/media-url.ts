/** The app's media URI scheme, served by the desktop shell from the local media store. */
export const MEDIA_SCHEME = "chatsphere-media";

/** Windows webviews reach custom schemes as http://<scheme>.localhost; the others by the scheme itself. */
function mediaBase(userAgent: string): string {
  return userAgent.includes("Windows") ? `http://${MEDIA_SCHEME}.localhost/` : `${MEDIA_SCHEME}://localhost/`;
}

/** The URL of a downloaded original, named by its sha256. */
export function mediaUrl(sha256: string, userAgent = navigator.userAgent): string {
  return `${mediaBase(userAgent)}${sha256}`;
}

/** The thumbnail of a file picked to send, before it is sent (served only in this run). */
export function previewUrl(sha256: string, userAgent = navigator.userAgent): string {
  return `${mediaBase(userAgent)}preview/${sha256}`;
}

/** The URL of an image's or sticker's still preview, named by the preview's sha256. */
export function thumbnailUrl(sha256: string, userAgent = navigator.userAgent): string {
  return `${mediaBase(userAgent)}thumb/${sha256}`;
}
