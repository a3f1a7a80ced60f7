/**
 * Messages between components. On the transport every message is an Envelope; each component
 * names what it accepts as a MessageMap (per kind: the body and the reply a request gets), so
 * senders, the lab's requests and the component's exhaustive `switch` share one type.
 */

/** A message as the transport carries it. Bodies are structured-clone friendly; frame batches travel as ArrayBuffers. */
export interface Envelope {
  to: string;
  from: string;
  kind: string;
  body: unknown;
  /** Set on requests from the lab; the component answers with ctx.reply(). */
  requestId?: number;
}

/** What a component accepts: per message kind, its body and what a request of that kind is answered with (`void`: none). */
export type MessageMap = { [kind: string]: { body: object; reply: object | null | void } };

/** The messages of a map as a union discriminated by `kind`: what a component's handler switches over. */
export type MessageOf<M extends MessageMap> = {
  [K in keyof M & string]: Omit<Envelope, 'kind' | 'body'> & { kind: K; body: M[K]['body'] };
}[keyof M & string];

/** A component's id, typed with the messages it accepts (the type exists only for the compiler). */
export type Address<M extends MessageMap> = string & { readonly __accepts?: M };

/** A message to send later (a queue such as NSX Manager's outbox): its address, kind and body agree with the receiver's map. */
export type Outgoing<M extends MessageMap> = {
  [K in keyof M & string]: { to: Address<M>; kind: K; body: M[K]['body'] };
}[keyof M & string];

/** The end of an exhaustive switch over a component's messages: a kind left out does not compile. */
export function unknownMessage(component: string, msg: never): never {
  throw new Error(`${component}: unknown message '${(msg as { kind: string }).kind}'`);
}

/**
 * A component's typed answer: `reply(msg, value)` inside a `case` of its switch only compiles
 * when `value` is the reply the message's kind declares in the component's map.
 */
export function replier<M extends MessageMap>(ctx: { reply(value: unknown): void }) {
  return <K extends keyof M & string>(msg: { kind: K }, value: M[K]['reply']): void => ctx.reply(value);
}
