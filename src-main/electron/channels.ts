/**
 * The IPC channels between the preload and main, shared by both so a rename cannot leave one
 * side listening on a channel the other never uses.
 */
/** Renderer -> main: `{name, input}` of one contract operation; answers a DispatchResult. */
export const INVOKE_CHANNEL = 'staging-editor:invoke';
/** Main -> renderer: `{name, payload}` of one pushed event. */
export const EVENT_CHANNEL = 'staging-editor:event';
/** Renderer -> main: the token from the sign-in screen (not in single-user mode). */
export const SET_TOKEN_CHANNEL = 'staging-editor:set-token';
/** Main -> renderer: the name of a menu command the page carries out (src-shared/menu-commands). */
export const MENU_COMMAND_CHANNEL = 'staging-editor:menu-command';
