// A single-page app: the board needs the browser (canvas, WebSocket, localStorage), and the sync server
// serves the same shell for every route.
export const ssr = false;
export const prerender = false;
