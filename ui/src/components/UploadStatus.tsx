import { cancel, cancellable, retryable, retryUpload } from "../uploadQueue";
import { finished, type UploadItem } from "../uploads";
import { Progress } from "./Progress";

/** An upload's progress bar (while it runs) and its message, with Cancel (until the server has it) and Try again. */
export function UploadStatus(props: { upload: UploadItem; small?: boolean }) {
  const u = props.upload;
  return (
    <>
      {!finished(u) && (
        <Progress label={`${u.name}: ${u.message}`} value={u.phase === "waiting" || u.phase === "queued" ? undefined : u.progress} />
      )}
      <p class={"upload-message" + (props.small ? " small" : "") + (u.phase === "failed" ? " error-text" : "")}>
        {u.message}
        {cancellable(u) && <button type="button" class="link" onClick={() => cancel(u.key)}>Cancel</button>}
        {retryable(u) && u.message !== "cancelled" && (
          <button type="button" class="button small" onClick={() => retryUpload(u.key)}>Try again</button>
        )}
      </p>
    </>
  );
}
