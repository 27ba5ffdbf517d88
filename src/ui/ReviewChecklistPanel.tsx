/** The region named "Review checklist". The scanner and checklist fill it in a later release. */
export function ReviewChecklistPanel() {
  return (
    <section className="panel review-panel" aria-labelledby="review-heading">
      <div className="panel-header">
        <h2 id="review-heading">Review checklist</h2>
      </div>
      <p className="muted">
        Static analysis and the review checklist are not part of this build yet. Until they are, read the code before
        you approve a run: look for network calls, secrets, and anything that builds HTML, SQL or shell commands from
        input.
      </p>
    </section>
  )
}
