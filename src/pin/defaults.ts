/** How long one server may take to start and list its tools, in seconds, unless told otherwise. */
export const DEFAULT_PIN_TIMEOUT_S = 30;
