// The spec check's classification, case by case, on the last released description
// (its shapes do not move with the spec under work).
// Each correction of api-smart-diff in src/spec-diff.mjs has a case here that
// fails without it.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readJson, repoRoot } from "../src/paths.mjs";
import { checkSpecAgainstRelease, lastReleasedSpec } from "../src/released.mjs";
import { compareSpecs, describeLocation } from "../src/spec-diff.mjs";

type Schemas = Record<string, { properties: Record<string, Record<string, unknown>> } & Record<string, unknown>>;
const built = readJson(join(repoRoot, "openapi/released/0.1.0.json"));

/** The classes of the changes `change` makes, by location. */
function classify(change: (schemas: Schemas) => void, prepare: (schemas: Schemas) => void = () => {}) {
  const before = structuredClone(built);
  prepare(before.components.schemas);
  const after = structuredClone(before);
  change(after.components.schemas);
  const changes = compareSpecs(before, after);
  return Object.fromEntries(changes.map((c: { location: string; type: string }) => [c.location, c.type]));
}

const CREATE = "POST /v2/{project_id}/datasets/{dataset_id}/export-tasks";
const GET = "GET /v2/{project_id}/datasets/{dataset_id}/export-tasks/{task_id}";

describe("compareSpecs", () => {
  test("the same description: no changes", () => {
    expect(classify(() => {})).toEqual({});
  });

  test("a field added to a response schema is non-breaking", () => {
    const changes = classify((s) => (s.ExportTaskStatus!.properties.queue_position = { type: "integer" }));
    expect(changes[`${GET} response 200: queue_position`]).toBe("non-breaking");
    expect(Object.values(changes)).not.toContain("breaking");
  });

  test("a field removed from a request schema is breaking (api-smart-diff calls it non-breaking)", () => {
    const changes = classify((s) => delete s.ExportParams!.properties.export_dest);
    expect(changes[`${CREATE} request body: export_params.export_dest`]).toBe("breaking");
  });

  test("a field removed from a response schema is breaking", () => {
    const changes = classify((s) => delete s.ExportTaskStatus!.properties.create_time);
    expect(changes[`${GET} response 200: create_time`]).toBe("breaking");
  });

  describe("relaxing a request is non-breaking", () => {
    test("additionalProperties: false removed", () => {
      const changes = classify((s) => {
        delete s.ExportTaskRequest!.additionalProperties;
        delete s.ExportParams!.additionalProperties;
      });
      expect(Object.keys(changes).length).toBeGreaterThan(0);
      expect(new Set(Object.values(changes))).toEqual(new Set(["non-breaking"]));
    });

    test("an enum opened (api-smart-diff calls each value removed breaking)", () => {
      const changes = classify((s) => delete s.AnnotationFormat!.enum);
      expect(changes[`${CREATE} request body: annotation_format.enum`]).toBe("non-breaking");
      expect(Object.values(changes)).not.toContain("breaking");
    });

    test("a pattern removed", () => {
      const changes = classify((s) => delete s.ObsDirectory!.pattern);
      expect(changes[`${CREATE} request body: path.pattern`]).toBe("non-breaking");
    });

    test("an x-inferred mark added is an annotation", () => {
      const changes = classify((s) => (s.ObsDirectory!["x-inferred"] = true));
      expect(new Set(Object.values(changes))).toEqual(new Set(["annotation"]));
    });

    test("an OpenAPI 3.1 type array widened (api-smart-diff calls it breaking)", () => {
      const changes = classify((s) => (s.ExportParams!.properties.clear_hard_property!.type = ["boolean", "null"]));
      expect(changes[`${CREATE} request body: export_params.clear_hard_property.type`]).toBe("non-breaking");
    });
  });

  describe("tightening a request, or widening a response, is breaking", () => {
    test("an OpenAPI 3.1 type array narrowed in a request", () => {
      const changes = classify(
        (s) => (s.ExportParams!.properties.clear_hard_property!.type = "boolean"),
        (s) => (s.ExportParams!.properties.clear_hard_property!.type = ["boolean", "null"]),
      );
      expect(changes[`${CREATE} request body: export_params.clear_hard_property.type`]).toBe("breaking");
    });

    test("a response type made nullable (api-smart-diff calls it non-breaking)", () => {
      const changes = classify((s) => (s.ExportTaskStatus!.properties.create_time!.type = ["integer", "null"]));
      expect(changes[`${GET} response 200: create_time.type`]).toBe("breaking");
    });

    test("a response type narrowed is non-breaking", () => {
      const changes = classify(
        (s) => (s.ExportTaskStatus!.properties.create_time!.type = "integer"),
        (s) => (s.ExportTaskStatus!.properties.create_time!.type = ["integer", "null"]),
      );
      expect(changes[`${GET} response 200: create_time.type`]).toBe("non-breaking");
    });

    test("a response enum opened or given a value", () => {
      expect(classify((s) => delete s.ExportTaskState!.enum)[`${GET} response 200: status.enum`]).toBe("breaking");
      expect(
        classify((s) => (s.ExportTaskState!.enum as string[]).push("CANCELLED"))[`${GET} response 200: status.enum`],
      ).toBe("breaking");
    });

    test("a request field made required", () => {
      const changes = classify((s) => (s.ExportTaskRequest!.required = ["path"]));
      expect(changes[`${CREATE} request body: required`]).toBe("breaking");
    });

    test("a request enum value removed", () => {
      const changes = classify((s) => (s.AnnotationFormat!.enum as string[]).pop());
      expect(changes[`${CREATE} request body: annotation_format.enum`]).toBe("breaking");
    });
  });
});

test("describeLocation names the operation, the part and the field", () => {
  expect(
    describeLocation([
      "paths",
      "/a",
      "post",
      "requestBody",
      "content",
      "application/json",
      "schema",
      "properties",
      "x",
    ]),
  ).toBe("POST /a request body: x");
  expect(describeLocation(["paths", "/a", "get", "responses", "404"])).toBe("GET /a response 404");
  expect(describeLocation(["servers", 0, "url"])).toBe("servers.0.url");
});

test("the built spec breaks nothing of the last release, or a major changeset says so", async () => {
  const released = lastReleasedSpec(repoRoot);
  expect(released?.version).toMatch(/^\d+\.\d+\.\d+$/);
  const verdict = await checkSpecAgainstRelease(repoRoot);
  expect(verdict.ok, verdict.message).toBe(true);
});
