/** A labelled progress bar; without a value it is indeterminate (work whose size is unknown). */
export function Progress(props: { value?: number; label: string }) {
  const pct = props.value === undefined ? undefined : Math.round(Math.max(0, Math.min(1, props.value)) * 100);
  return (
    <div
      class={"progress" + (pct === undefined ? " indeterminate" : "")}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div class="bar" style={pct === undefined ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
