/** What the launcher tells a service process. */
export type ParentMessage = { readonly kind: 'stop' };

/** What a service process tells the launcher. */
export type ChildMessage =
  | { readonly kind: 'ready'; readonly url: string }
  | { readonly kind: 'failed'; readonly message: string };
