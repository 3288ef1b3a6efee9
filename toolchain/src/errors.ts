/** An error in the user's input or command line: printed without a stack trace. */
export class UserError extends Error {}
