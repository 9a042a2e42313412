// @redstring/model — the board's records, their rules, the Yjs binding and the timeline.
export * from './result';
export * from './limits';
export * from './ids';
export * from './validate';
export * from './records/board';
export * from './records/card';
export * from './records/link';
export * from './records/status-change';
export * from './records/participant';
export * from './records/role';
export * from './records/callout';
export * from './migrations';
export * from './clock';
export * from './board-doc';
export * from './protocol';
export * from './timeline';
