// What the pending changesets (.changeset/*.md) promise, as Changesets itself
// plans the release (fixed groups and dependents included): a check that
// finds a breaking change passes only when a major bump is planned.
import getReleasePlan from "@changesets/get-release-plan";

/** The packages whose planned bump is major, each with the summaries of the changesets behind it. */
export async function plannedMajors(root) {
  const plan = await getReleasePlan(root);
  const summaries = new Map(plan.changesets.map((changeset) => [changeset.id, changeset.summary.trim()]));
  // A package bumped through its fixed group has no changeset of its own.
  const majors = plan.changesets
    .filter((changeset) => changeset.releases.some((release) => release.type === "major"))
    .map((changeset) => changeset.summary.trim());
  return new Map(
    plan.releases
      .filter((release) => release.type === "major")
      .map((release) => [
        release.name,
        release.changesets.length > 0 ? release.changesets.map((id) => summaries.get(id)) : majors,
      ]),
  );
}

/**
 * The verdict on breaking changes of package `name`: `{ ok, message }`.
 * `breaks` are lines saying what breaks; `what` names the check.
 */
export async function requireMajor(root, name, breaks, what) {
  if (breaks.length === 0) return { ok: true, message: `${what}: nothing breaks.` };
  const list = breaks.map((line) => `  - ${line}`).join("\n");
  const reasons = (await plannedMajors(root)).get(name);
  if (reasons) {
    return {
      ok: true,
      message: `${what}: breaking changes, declared by a major changeset of ${name} ("${reasons.join('", "')}"):\n${list}`,
    };
  }
  return {
    ok: false,
    message:
      `${what}: breaking changes without a major changeset of ${name}:\n${list}\n` +
      `Undo them, or run \`npx changeset\`, choose a major bump of ${name} and say what breaks and what users do about it.`,
  };
}
