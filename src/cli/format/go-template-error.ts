/**
 * Error for a Go template that fails to parse or execute. Messages follow Go's wording, e.g.
 * `template: :1: function "foo" not defined` or
 * `template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"`.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}
