// The request validator, through the package's own export (the built
// dist/validate.js and the bundled spec beside it).
import { describe, expect, test } from "vitest";
import { createRequestValidator, documented, inferred, type Problem } from "@modelarts-export/openapi/validate";
import { loadSpec, type Node } from "./spec.js";

const validator = createRequestValidator();
const examples = (loadSpec().components as Node).examples as Record<string, { value: unknown }>;

const brief = (problems: Problem[]): [string, string, string][] => problems.map((p) => [p.field, p.source, p.code]);

describe("createBody", () => {
  test("the reference page's two request examples pass, verbatim", () => {
    expect(examples.ExportToObsRequest?.value).toEqual({
      path: "/test-obs/daoChu/",
      export_type: 3,
      export_params: { sample_state: "", export_dest: "DIR" },
    });
    expect(validator.createBody(examples.ExportToObsRequest?.value)).toEqual([]);
    expect(validator.createBody(examples.ExportToNewDatasetRequest?.value)).toEqual([]);
  });

  test.each(["/my.bucket/out.v2/", "/bucket-1/数据/out put/", "/abc/a_b/c~d/", "/abc/dir.with.dots/file-like.v2/"])(
    "path %s: any bucket OBS allows and any key characters pass",
    (path) => {
      expect(validator.createBody({ path })).toEqual([]);
    },
  );

  test.each([
    ["bucket/out/", "must start with `/` and the bucket name"],
    ["//out/", "must start with `/` and the bucket name"],
    ["/bucket/../../etc/", "must not have a `..` segment"],
    ["/bucket/a/..", "must not have a `..` segment"],
  ])("path %s cannot be a directory: a documented 4358 naming the rule in words", (path, rule) => {
    const problems = documented(validator.createBody({ path }));
    expect(problems.map((p) => [p.field, p.rule, p.code])).toContainEqual(["path", rule, "ModelArts.4358"]);
    const problem = problems.find((p) => p.rule === rule);
    expect(problem?.message).toBe(`path ${rule}`);
    expect(problem?.message).not.toMatch(/[\^$\\]/);
  });

  test("inferred path rules are warnings with the reason", () => {
    const problems = validator.createBody({ path: "/My_Bucket/out" });
    expect(documented(problems)).toEqual([]);
    expect(inferred(problems).map((p) => p.rule)).toEqual([
      "must end with `/`",
      "must name a bucket of 3-63 lower-case letters, digits, `-` and `.`",
    ]);
    expect(inferred(problems)[0]?.message).toMatch(
      /^path must end with `\/` \(inferred, not stated by Huawei's reference: Huawei's examples write/,
    );
    expect(inferred(problems)[0]?.reason).toBeTruthy();
  });

  test("an unknown field is an inferred problem naming the closest known field", () => {
    const [problem] = validator.createBody({ path: "/b-1/o/", annotation_fromat: "VOC" });
    expect(problem).toMatchObject({
      field: "annotation_fromat",
      source: "inferred",
      closest: "annotation_format",
      code: "ModelArts.4384",
    });
    expect(problem?.message).toMatch(
      /^annotation_fromat is not a field the reference lists; did you mean annotation_format\?/,
    );
    const [nested] = validator.createBody({ path: "/b-1/o/", export_params: { export_dset: "DIR" } });
    expect([nested?.field, nested?.closest]).toEqual(["export_params.export_dset", "export_dest"]);
  });

  test("train_sample_ratio outside 0-1 is an inferred warning; a number is a documented error", () => {
    const [outside] = validator.createBody({ path: "/b-1/o/", export_params: { train_sample_ratio: "1.5" } });
    expect([outside?.source, outside?.rule]).toEqual([
      "inferred",
      "must be a decimal from 0 to 1, such as `0.8` or `1.00`",
    ]);
    const [number] = validator.createBody({ path: "/b-1/o/", export_params: { train_sample_ratio: 0.8 } });
    expect(brief([number as Problem])).toEqual([["export_params.train_sample_ratio", "documented", "ModelArts.4384"]]);
    expect(number?.message).toBe("export_params.train_sample_ratio must be a string");
  });

  test("sample_time accepts the page's own example and refuses another word", () => {
    const body = (sample_time: string): unknown => ({
      path: "/b-1/o/",
      export_params: { search_conditions: [{ sample_time }] },
    });
    for (const ok of ["month", "day", "20190901-20190915", "20190901-2019091501"])
      expect(validator.createBody(body(ok))).toEqual([]);
    const [week] = validator.createBody(body("week"));
    expect(week?.message).toBe(
      "export_params.search_conditions[0].sample_time must be `month`, `day` or a range `yyyyMMdd-yyyyMMdd`",
    );
    expect(week?.source).toBe("documented");
  });

  test("documented enums, types and cross-field rules refuse", () => {
    expect(brief(validator.createBody({ path: "/b-1/o/", annotation_format: "YOLO" }))).toEqual([
      ["annotation_format", "documented", "ModelArts.4384"],
    ]);
    expect(validator.createBody({ path: "/b-1/o/", export_type: "0" })[0]?.message).toBe(
      "export_type must be an integer",
    );
    expect(validator.createBody({})[0]?.message).toBe("path is required: the OBS directory to export to");
    expect(brief(validator.createBody({ path: "/b-1/o/", export_params: { export_dest: "NEW_DATASET" } }))).toEqual([
      ["export_params.export_new_dataset_name", "documented", "ModelArts.4384"],
      ["export_params.export_new_dataset_work_path", "documented", "ModelArts.4358"],
    ]);
    expect(validator.createBody([])[0]?.message).toBe("the body must be a JSON object");
  });

  test("int32 takes -2147483648 and 2147483647, and nothing beyond", () => {
    const body = (frame_in_video: number): unknown => ({
      path: "/b-1/o/",
      export_params: { search_conditions: [{ frame_in_video }] },
    });
    expect(validator.createBody(body(-2147483648))).toEqual([]);
    expect(validator.createBody(body(2147483647))).toEqual([]);
    expect(validator.createBody(body(2147483648))[0]?.rule).toBe(
      "must be a 32-bit integer (-2147483648 to 2147483647)",
    );
    expect(validator.createBody(body(-2147483649))).toHaveLength(1);
  });
});

describe("listQuery", () => {
  test("reads numbers from strings, with the documented defaults", () => {
    expect(validator.listQuery({})).toEqual({ value: { limit: 10, offset: 0 }, problems: [] });
    expect(validator.listQuery({ export_type: "1", limit: "5", offset: "2" }).value).toEqual({
      export_type: 1,
      limit: 5,
      offset: 2,
    });
  });

  test("limit outside 1-100 is documented (4396); a negative offset is inferred", () => {
    expect(brief(validator.listQuery({ limit: "101" }).problems)).toEqual([["limit", "documented", "ModelArts.4396"]]);
    expect(validator.listQuery({ limit: "0" }).problems[0]?.message).toBe("limit must be at least 1");
    expect(brief(validator.listQuery({ offset: "-1" }).problems)).toEqual([["offset", "inferred", "ModelArts.4396"]]);
  });

  test("an unknown parameter is an inferred problem naming the closest one, and is left out", () => {
    const { value, problems } = validator.listQuery({ limt: "5" });
    expect(value).toEqual({ limit: 10, offset: 0 });
    expect([problems[0]?.source, problems[0]?.closest]).toEqual(["inferred", "limit"]);
  });
});

describe("schema", () => {
  test("checks answers: an open task state passes", () => {
    const status = validator.schema("ExportTaskStatus");
    for (const state of ["SUCCESSED", "STOPPED", "PAUSED"]) expect(status({ status: state }), state).toBe(true);
    expect(status({ status: 3 })).toBe(false);
  });
});
