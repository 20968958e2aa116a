import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

interface FieldChrome {
  label: string;
  /** Messages from the API (or the form) for this field, shown right under it. */
  errors?: readonly string[];
  hint?: string;
}

interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** Label, hint and errors around one control, tied together for screen readers. */
function FieldShell({
  label,
  errors = [],
  hint,
  id,
  renderControl,
}: FieldChrome & { id: string; renderControl: (props: ControlProps) => ReactNode }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {renderControl({ id, 'aria-invalid': errorId ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

export function Field({ label, errors, hint, id, ...input }: FieldChrome & InputHTMLAttributes<HTMLInputElement>) {
  const generatedId = useId();
  return (
    <FieldShell
      label={label}
      errors={errors}
      hint={hint}
      id={id ?? generatedId}
      renderControl={(control) => <input {...input} {...control} />}
    />
  );
}

export function TextAreaField({
  label,
  errors,
  hint,
  id,
  ...textarea
}: FieldChrome & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generatedId = useId();
  return (
    <FieldShell
      label={label}
      errors={errors}
      hint={hint}
      id={id ?? generatedId}
      renderControl={(control) => <textarea {...textarea} {...control} />}
    />
  );
}

/** After a refused submit, put the keyboard on the first field that needs attention. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  // The invalid marks are rendered on the next paint.
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
