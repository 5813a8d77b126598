/**
 * The parts of Apollo Server's plugin API this library uses, typed structurally so that neither
 * `@apollo/server` nor `@nestjs/graphql` is needed to build or use it. Apollo's own
 * `GraphQLRequestContext` and `GraphQLRequestListener` are assignable to these.
 */

/** What the library reads of Apollo's request context when a response is about to be sent. */
export interface GraphqlOperationContext {
  /** The operation chosen from the document; missing when parsing or validation failed. */
  readonly operation?: { readonly operation: string } | null;
  /** Its name; `null` for an anonymous operation. */
  readonly operationName?: string | null;
  /** Parse, validation and execution errors of the request (field errors included). */
  readonly errors?: ReadonlyArray<unknown>;
}

/** The per-request listener returned from `requestDidStart`. */
export interface GraphqlRequestListener {
  willSendResponse(context: GraphqlOperationContext): Promise<void>;
}

/** An Apollo Server plugin (`ApolloServerPlugin`) reduced to the hook this library implements. */
export interface GraphqlServerPlugin {
  requestDidStart(context: unknown): Promise<GraphqlRequestListener>;
}
