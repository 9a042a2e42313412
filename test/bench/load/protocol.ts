// The wire constants come straight from the model's protocol file (the one shared definition). Importing
// that file alone keeps the load generator's start-up light: it needs constants, not the whole model.
export { MessageType, CloseCode, HttpPaths, SessionTokenHeader, SocketEvents } from '../../../packages/model/src/protocol';
export type {
  CreateBoardReply,
  SessionReply,
  Reply,
  CalloutNotice,
  CreateCalloutRequest,
} from '../../../packages/model/src/protocol';
