export declare const SERVER_BUNDLE: string;
export declare const SERVER_NODE_FLAGS: readonly string[];
export declare const SERVER_NODE_ARGS: readonly string[];
export declare function buildServer(): Promise<void>;
