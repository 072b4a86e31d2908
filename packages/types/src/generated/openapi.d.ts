/**
 * GENERATED FILE: DO NOT EDIT.
 * Source: openapi/dist/openapi.yaml (bundled from openapi/).
 * Regenerate with `npm run build` (scripts/generate-types.mjs).
 */
export interface paths {
    "/v2/{project_id}/datasets/{dataset_id}/export-tasks": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Dataset ID.
                 * @example WxCREuCkBSAlQr9xrde
                 */
                dataset_id: components["parameters"]["dataset_id"];
                /**
                 * @description Project ID of the user (IAM project of the region). See "Obtaining a Project ID" in the Huawei Cloud docs.
                 * @example 77b6a44cba5143ab91d13ab9a8ff44fd
                 */
                project_id: components["parameters"]["project_id"];
            };
            cookie?: never;
        };
        /**
         * List the export tasks of a dataset
         * @description Pages through the dataset's export tasks, newest first, with each task's
         *     state and progress. `total_count` is the number of tasks that match
         *     `export_type`, not the length of this page.
         */
        get: operations["listExportTasks"];
        put?: never;
        /**
         * Create a dataset export task
         * @description Starts an asynchronous export of the dataset's samples to an OBS
         *     directory (`export_params.export_dest` `DIR`, the default) or into a new
         *     dataset (`NEW_DATASET`). The answer carries the new `task_id`; poll
         *     `getExportTask` until `status` is `SUCCESSED` or `FAILED`.
         *
         *     `path` is required in practice: it is the OBS directory written to (or
         *     read from, for a new dataset), written `/bucket/dir/` without `obs://`.
         *
         *     Creating a task is not idempotent: retrying a create whose request may
         *     have reached the service can start a second export.
         */
        post: operations["createExportTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/{project_id}/datasets/{dataset_id}/export-tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Dataset ID.
                 * @example WxCREuCkBSAlQr9xrde
                 */
                dataset_id: components["parameters"]["dataset_id"];
                /**
                 * @description Project ID of the user (IAM project of the region). See "Obtaining a Project ID" in the Huawei Cloud docs.
                 * @example 77b6a44cba5143ab91d13ab9a8ff44fd
                 */
                project_id: components["parameters"]["project_id"];
                /**
                 * @description Export task ID, as returned by `createExportTask`.
                 * @example rF9NNoB56k5rtYKg2Y7
                 */
                task_id: components["parameters"]["task_id"];
            };
            cookie?: never;
        };
        /**
         * Get one export task
         * @description Reads the task's state (`INIT`, `RUNNING`, `SUCCESSED` or `FAILED`), its
         *     progress and the parameters it was created with. A `FAILED` task carries
         *     `error_code` and `error_msg`.
         */
        get: operations["getExportTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * AnnotationFormat
         * @description Annotation format of the exported files: `VOC` (PASCAL VOC, one XML per
         *     image) or `COCO`. The reference does not say what an export without it
         *     writes; the emulator writes a ModelArts manifest, the `Default` version
         *     format.
         * @enum {string}
         */
        AnnotationFormat: "VOC" | "COCO";
        /**
         * DatasetType
         * Format: int32
         * @description Dataset type: `0` image classification, `1` object detection, `3` image
         *     segmentation, `100` text classification, `101` named entity recognition,
         *     `102` text triplet, `200` sound classification, `201` speech content, `202`
         *     speech segmentation, `400` table, `600` video labelling, `900` free format.
         * @enum {integer}
         */
        DatasetType: 0 | 1 | 3 | 100 | 101 | 102 | 200 | 201 | 202 | 400 | 600 | 900;
        /**
         * ErrorResponse
         * @description An error answer. Service errors carry `error_code` and `error_msg`; errors
         *     of the API gateway (such as `APIGW.0301`, failed authentication) also
         *     carry `request_id`.
         */
        ErrorResponse: {
            /**
             * @description Error code, such as `ModelArts.4352` or `APIGW.0301`.
             * @example ModelArts.4352
             */
            error_code: string;
            /** @description What went wrong. */
            error_msg: string;
            /** @description ID of the request (gateway errors); also sent as the `X-Request-Id` header. */
            request_id?: string;
        };
        /**
         * ExportDest
         * @description Where to export: `DIR` to OBS (the default), `NEW_DATASET` into a new
         *     dataset, which then needs `export_new_dataset_name` and
         *     `export_new_dataset_work_path`.
         * @enum {string}
         */
        ExportDest: "DIR" | "NEW_DATASET";
        /**
         * ExportFormat
         * Format: int32
         * @description Directory layout of the export: `1` tree, one folder per label (for
         *     example `cat/1.jpg`, `dog/2.jpg`); `2` flat, each file next to its label
         *     file (for example `1.jpg`, `1.txt`; `2.jpg`, `2.txt`).
         * @enum {integer}
         */
        ExportFormat: 1 | 2;
        /**
         * ExportParams
         * @description Parameters of the export task.
         */
        ExportParams: {
            /**
             * @description Whether to clear the hard-example attributes: `true` clear them (default), `false` keep them.
             * @default true
             */
            clear_hard_property?: boolean;
            /** @description Format of the exported dataset version. */
            export_dataset_version_format?: string;
            /** @description Name of the exported dataset version. */
            export_dataset_version_name?: string;
            /** @default DIR */
            export_dest?: components["schemas"]["ExportDest"];
            /**
             * @description Name of the new dataset, when `export_dest` is `NEW_DATASET`.
             * @example dataset-export-test
             */
            export_new_dataset_name?: string;
            /**
             * @description Work directory of the new dataset, an OBS directory `/bucket/dir/`, when
             *     `export_dest` is `NEW_DATASET`.
             */
            export_new_dataset_work_path?: components["schemas"]["ObsDirectory"];
            /**
             * @description With a split ratio, whether to assign samples to the training and
             *     validation sets at random in that ratio: `true` assign at random,
             *     `false` do not (default).
             * @default false
             */
            ratio_sample_usage?: boolean;
            sample_state?: components["schemas"]["SampleState"];
            /** @description IDs of the samples to export. */
            samples?: string[];
            /** @description Search conditions of the export; a sample matching any one of them (OR) is exported. */
            search_conditions?: components["schemas"]["SearchCondition"][];
            train_sample_ratio?: components["schemas"]["TrainSampleRatio"];
        };
        /**
         * ExportTaskList
         * @description One page of the export tasks of a dataset.
         */
        ExportTaskList: {
            /** @description The tasks of this page. */
            export_tasks?: components["schemas"]["ExportTaskStatus"][];
            /**
             * Format: int32
             * @description Number of tasks in all pages.
             */
            total_count?: number;
        };
        /**
         * ExportTaskRequest
         * @description Body of `createExportTask`. Every field is optional in the reference, but
         *     an export needs at least `path`. The reference does not say what the
         *     service does with a field it does not list, so the schema does not refuse
         *     one; the CLI warns about it, naming the closest known field.
         */
        ExportTaskRequest: {
            annotation_format?: components["schemas"]["AnnotationFormat"];
            /** @description Dataset ID. */
            dataset_id?: string;
            dataset_type?: components["schemas"]["DatasetType"];
            export_format?: components["schemas"]["ExportFormat"];
            export_params?: components["schemas"]["ExportParams"];
            export_type?: components["schemas"]["ExportType"];
            /**
             * @description Output path of the export: an OBS directory `/bucket/dir/`. Needed for
             *     both destinations; for a new dataset it is the input directory.
             */
            path?: components["schemas"]["ObsDirectory"];
            sample_state?: components["schemas"]["SampleState"];
            source_type_header?: components["schemas"]["SourceTypeHeader"];
            /**
             * Format: int32
             * @description Task status. An integer here, unlike the string state of responses;
             *     the service does not need it to create a task.
             */
            status?: number;
            /** @description Task ID. */
            task_id?: string;
            version_format?: components["schemas"]["VersionFormat"];
            /** @description Dataset version ID; required when a dataset version is exported. */
            version_id?: string;
            /**
             * @description Whether to write the column names as the first line of the CSV file
             *     (table datasets only): `true` write them (default), `false` do not.
             * @default true
             */
            with_column_header?: boolean;
        };
        /**
         * ExportTaskState
         * @description Task state: `INIT` initialising, `RUNNING` running, `FAILED` failed,
         *     `SUCCESSED` finished (the service's own spelling). The list is open: a
         *     task may also report `STOPPING` or `STOPPED`, or a state not listed here;
         *     treat any state but `SUCCESSED` and `FAILED` (and `STOPPED`) as not
         *     finished yet.
         */
        ExportTaskState: ("INIT" | "RUNNING" | "FAILED" | "SUCCESSED") | ("STOPPING" | "STOPPED") | string;
        /**
         * ExportTaskStatus
         * @description An export task as the service reports it. Every field is optional: the
         *     create call may answer with `task_id` alone.
         */
        ExportTaskStatus: {
            /**
             * Format: int64
             * @description When the task was created, in milliseconds since the Unix epoch.
             * @example 1700000000000
             */
            create_time?: number;
            /** @description Error code, when the task failed. */
            error_code?: string;
            /** @description Error message, when the task failed. */
            error_msg?: string;
            export_format?: components["schemas"]["ExportFormat"];
            export_params?: components["schemas"]["ReportedExportParams"];
            export_type?: components["schemas"]["ExportType"];
            /**
             * Format: int32
             * @description Number of samples exported so far.
             */
            finished_sample_count?: number;
            /** @description Output path of the export. */
            path?: string;
            /**
             * Format: float
             * @description Progress of the task, a percentage from 0.0 to 100.0.
             */
            progress?: number;
            status?: components["schemas"]["ExportTaskState"];
            /** @description Task ID. */
            task_id?: string;
            /**
             * Format: int32
             * @description Total number of samples to export.
             */
            total_sample_count?: number;
            /**
             * Format: int64
             * @description When the task was last updated, in milliseconds since the Unix epoch.
             */
            update_time?: number;
            version_format?: components["schemas"]["VersionFormat"];
            /** @description Dataset version ID. */
            version_id?: string;
        };
        /**
         * ExportType
         * Format: int32
         * @description Which samples to export: `0` labelled, `1` unlabelled, `2` all, `3` those
         *     matching the search conditions (`export_params.search_conditions`).
         * @enum {integer}
         */
        ExportType: 0 | 1 | 2 | 3;
        /**
         * LabelType
         * Format: int32
         * @description Label type: `0` image classification, `1` object detection, `3` image
         *     segmentation, `100` text classification, `101` named entity, `102` text
         *     triplet relation, `103` text triplet entity, `200` speech classification,
         *     `201` speech content, `202` speech segmentation, `600` video labelling.
         * @enum {integer}
         */
        LabelType: 0 | 1 | 3 | 100 | 101 | 102 | 103 | 200 | 201 | 202 | 600;
        /**
         * ObsDirectory
         * @description An OBS directory written `/bucket/dir/.../`: a leading `/`, the bucket
         *     name, then the directories, without `obs://`. Any bucket name OBS allows
         *     (3-63 lower-case letters, digits, `-` and `.`) and any object-key
         *     characters may appear. Refused only when it cannot be a directory: no
         *     leading `/`, no bucket name, or a `..` segment.
         * @example /test-obs/daoChu/
         * @example /my.bucket/out.v2/
         */
        ObsDirectory: string;
        /**
         * ReportedExportParams
         * @description The export parameters as the service reports them on a task. Same fields
         *     as `ExportParams`, but `train_sample_ratio` may come back as a number, and
         *     the undocumented `clear_difficult` may appear.
         */
        ReportedExportParams: {
            /** @description Undocumented; seen in responses. Whether "difficult" flags were cleared. */
            clear_difficult?: boolean;
            /** @description Whether to clear the hard-example attributes: `true` clear them (default), `false` keep them. */
            clear_hard_property?: boolean;
            /** @description Format of the exported dataset version. */
            export_dataset_version_format?: string;
            /** @description Name of the exported dataset version. */
            export_dataset_version_name?: string;
            export_dest?: components["schemas"]["ExportDest"];
            /** @description Name of the new dataset, when `export_dest` is `NEW_DATASET`. */
            export_new_dataset_name?: string;
            /** @description Work directory of the new dataset, when `export_dest` is `NEW_DATASET`. */
            export_new_dataset_work_path?: string;
            /**
             * @description With a split ratio, whether to assign samples to the training and
             *     validation sets at random in that ratio: `true` assign at random,
             *     `false` do not (default).
             */
            ratio_sample_usage?: boolean;
            sample_state?: components["schemas"]["SampleState"];
            /** @description IDs of the samples to export. */
            samples?: string[];
            /** @description Search conditions of the export; a sample matching any one of them (OR) is exported. */
            search_conditions?: components["schemas"]["SearchCondition"][];
            /**
             * @description Share of the samples in the training set, from 0 to 1 (default
             *     `1.00`). Sent as a string, but the service has been seen returning a
             *     number such as `1.0`.
             * @example 0.8
             * @example 1
             */
            train_sample_ratio?: string | number;
        };
        /**
         * SampleState
         * @description Sample state to export (note the double underscores). `__ALL__` labelled,
         *     `__NONE__` unlabelled, `__UNCHECK__` awaiting acceptance, `__ACCEPTED__`
         *     accepted, `__REJECTED__` rejected, `__UNREVIEWED__` awaiting review,
         *     `__REVIEWED__` reviewed, `__WORKFORCE_SAMPLED__` sampled for acceptance,
         *     `__WORKFORCE_SAMPLED_UNCHECK__` sampled and awaiting acceptance,
         *     `__WORKFORCE_SAMPLED_CHECKED__` sampled and checked,
         *     `__WORKFORCE_SAMPLED_ACCEPTED__` sampled and accepted,
         *     `__WORKFORCE_SAMPLED_REJECTED__` sampled and rejected,
         *     `__AUTO_ANNOTATION__` auto-labelled, awaiting confirmation. The empty
         *     string, which the reference examples send, means no state filter.
         * @enum {string}
         */
        SampleState: "__ALL__" | "__NONE__" | "__UNCHECK__" | "__ACCEPTED__" | "__REJECTED__" | "__UNREVIEWED__" | "__REVIEWED__" | "__WORKFORCE_SAMPLED__" | "__WORKFORCE_SAMPLED_UNCHECK__" | "__WORKFORCE_SAMPLED_CHECKED__" | "__WORKFORCE_SAMPLED_ACCEPTED__" | "__WORKFORCE_SAMPLED_REJECTED__" | "__AUTO_ANNOTATION__" | "";
        /**
         * SearchCondition
         * @description One search condition. The fields given in one condition must all match
         *     (AND); the conditions of a list are ORed.
         */
        SearchCondition: {
            /** @description Filter by hard-example coefficient. */
            coefficient?: string;
            /**
             * Format: int32
             * @description A frame of a video.
             */
            frame_in_video?: number;
            /**
             * @description Whether the sample is a hard example: `0` no, `1` yes.
             * @enum {string}
             */
            hard?: "0" | "1";
            /** @description Filter by where the sample was imported from. */
            import_origin?: string;
            /** @description CT dose (kVp); filter by dose. */
            kvp?: string;
            /** @description Label search conditions. */
            label_list?: components["schemas"]["SearchLabels"];
            /** @description The labeller. */
            labeler?: string;
            /** @description Search by sample attributes. */
            metadata?: components["schemas"]["SearchProp"];
            /** @description Parent sample ID. */
            parent_sample_id?: string;
            /**
             * @description Directory of the samples; must end with `/`. Only samples directly in
             *     that directory match: the search is not recursive.
             * @example /test-obs/images/cats/
             */
            sample_dir?: string;
            /**
             * @description Sample file name, with its extension.
             * @example cat-001.jpg
             */
            sample_name?: string;
            /**
             * @description When the sample was added, indexed by the day the object was last
             *     modified in OBS: `month` (the last 30 days up to today), `day` (since
             *     yesterday) or `yyyyMMdd-yyyyMMdd`, a range from the first date to the
             *     second of at most 30 days, for example `20190901-20190915`. The
             *     reference's own example, `20190901-2019091501`, has two more digits
             *     after the second date; they are accepted.
             * @example month
             * @example day
             * @example 20190901-20190915
             * @example 20190901-2019091501
             */
            sample_time?: string;
            /** @description Filter by confidence score. */
            score?: string;
            /** @description DICOM slice thickness; filter samples by it. */
            slice_thickness?: string;
            /** @description DICOM study (scan) date. */
            study_date?: string;
            /** @description A point in time of a video. */
            time_in_video?: string;
        };
        /**
         * SearchLabel
         * @description One label to search for, optionally narrowed by its properties.
         */
        SearchLabel: {
            /** @description Label name. */
            name?: string;
            /** @description How several properties combine, `OR` or `AND`. */
            op?: components["schemas"]["SearchOperator"];
            /**
             * @description Label properties, any key-value pairs: each key is a property name and
             *     its value a list of accepted values; a sample matches when the value
             *     is any one of them. A `null` list means "has this property", whatever
             *     its value.
             * @example {
             *       "@modelarts:occluded": [
             *         "true"
             *       ],
             *       "color": null
             *     }
             */
            property?: {
                [key: string]: string[] | null;
            };
            type?: components["schemas"]["LabelType"];
        };
        /**
         * SearchLabels
         * @description Label search conditions.
         */
        SearchLabels: {
            /** @description The labels to search for. */
            labels?: components["schemas"]["SearchLabel"][];
            /**
             * @description How the labels combine, `OR` or `AND`. Needed when more than one label
             *     is searched; leave it out for a single label.
             */
            op?: components["schemas"]["SearchOperator"];
        };
        /**
         * SearchOperator
         * @description How several search terms combine: `OR` (any) or `AND` (all).
         * @enum {string}
         */
        SearchOperator: "OR" | "AND";
        /**
         * SearchProp
         * @description Search by sample attributes (metadata).
         */
        SearchProp: {
            /** @description How the values of several attributes combine, `AND` or `OR`. */
            op?: components["schemas"]["SearchOperator"];
            /**
             * @description Attribute conditions: each key is an attribute name, its value the
             *     list of accepted values. Several attributes may be given.
             * @example {
             *       "camera": [
             *         "front",
             *         "rear"
             *       ]
             *     }
             */
            props?: {
                [key: string]: string[];
            };
        };
        /**
         * SourceTypeHeader
         * @description Prefix of the OBS paths written into exported annotation files: `obs://`
         *     (the default) or `s3://`. Training jobs cannot read image paths that
         *     start with `obs`, so export with `s3://` for training.
         * @default obs://
         * @enum {string}
         */
        SourceTypeHeader: "obs://" | "s3://";
        /**
         * TrainSampleRatio
         * @description Share of the samples that goes to the training set when the version is
         *     published, as a decimal string; the rest is the validation set. Defaults
         *     to `1.00`: everything is training data.
         * @default 1.00
         * @example 0.8
         * @example 1.00
         */
        TrainSampleRatio: string;
        /**
         * VersionFormat
         * @description Format of the dataset version: `Default` (ModelArts manifest),
         *     `CarbonData` (table datasets only) or `CSV`.
         * @enum {string}
         */
        VersionFormat: "Default" | "CarbonData" | "CSV";
    };
    responses: {
        /** @description Bad request: a parameter, the body or the export path is invalid. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The credentials are valid but may not act on this project or OBS path. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Internal error of the service, or quota exhausted. */
        InternalServerError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The dataset or the export task does not exist. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The dataset type does not support this export. */
        NotImplemented: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The request body is too large. */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Throttled: too many dataset requests. Retry later. */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Authentication failed: the token or the AK/SK signature is missing, wrong or expired. */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Any other error answer, in the same error shape. */
        UnexpectedError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The request body is not sent as `application/json`. */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: {
        /**
         * @description Dataset ID.
         * @example WxCREuCkBSAlQr9xrde
         */
        dataset_id: string;
        /**
         * @description Only list tasks of this export type: `0` labelled samples, `1` unlabelled
         *     samples, `2` all samples, `3` samples matching search conditions. Omit it
         *     to list every task.
         */
        export_type: components["schemas"]["ExportType"];
        /** @description Maximum number of tasks in one page, 1 to 100. */
        limit: number;
        /** @description Index of the first task of the page, counted from 0. */
        offset: number;
        /**
         * @description Project ID of the user (IAM project of the region). See "Obtaining a Project ID" in the Huawei Cloud docs.
         * @example 77b6a44cba5143ab91d13ab9a8ff44fd
         */
        project_id: string;
        /**
         * @description Export task ID, as returned by `createExportTask`.
         * @example rF9NNoB56k5rtYKg2Y7
         */
        task_id: string;
    };
    requestBodies: never;
    headers: {
        /** @description Identifier of this request at the service; quote it when reporting a problem. */
        "X-Request-Id": string;
    };
    pathItems: never;
}
export type AnnotationFormat = components['schemas']['AnnotationFormat'];
export type DatasetType = components['schemas']['DatasetType'];
export type ErrorResponse = components['schemas']['ErrorResponse'];
export type ExportDest = components['schemas']['ExportDest'];
export type ExportFormat = components['schemas']['ExportFormat'];
export type ExportParams = components['schemas']['ExportParams'];
export type ExportTaskList = components['schemas']['ExportTaskList'];
export type ExportTaskRequest = components['schemas']['ExportTaskRequest'];
export type ExportTaskState = components['schemas']['ExportTaskState'];
export type ExportTaskStatus = components['schemas']['ExportTaskStatus'];
export type ExportType = components['schemas']['ExportType'];
export type LabelType = components['schemas']['LabelType'];
export type ObsDirectory = components['schemas']['ObsDirectory'];
export type ReportedExportParams = components['schemas']['ReportedExportParams'];
export type SampleState = components['schemas']['SampleState'];
export type SearchCondition = components['schemas']['SearchCondition'];
export type SearchLabel = components['schemas']['SearchLabel'];
export type SearchLabels = components['schemas']['SearchLabels'];
export type SearchOperator = components['schemas']['SearchOperator'];
export type SearchProp = components['schemas']['SearchProp'];
export type SourceTypeHeader = components['schemas']['SourceTypeHeader'];
export type TrainSampleRatio = components['schemas']['TrainSampleRatio'];
export type VersionFormat = components['schemas']['VersionFormat'];
export type ResponseBadRequest = components['responses']['BadRequest'];
export type ResponseForbidden = components['responses']['Forbidden'];
export type ResponseInternalServerError = components['responses']['InternalServerError'];
export type ResponseNotFound = components['responses']['NotFound'];
export type ResponseNotImplemented = components['responses']['NotImplemented'];
export type ResponsePayloadTooLarge = components['responses']['PayloadTooLarge'];
export type ResponseTooManyRequests = components['responses']['TooManyRequests'];
export type ResponseUnauthorized = components['responses']['Unauthorized'];
export type ResponseUnexpectedError = components['responses']['UnexpectedError'];
export type ResponseUnsupportedMediaType = components['responses']['UnsupportedMediaType'];
export type ParameterDatasetId = components['parameters']['dataset_id'];
export type ParameterExportType = components['parameters']['export_type'];
export type ParameterLimit = components['parameters']['limit'];
export type ParameterOffset = components['parameters']['offset'];
export type ParameterProjectId = components['parameters']['project_id'];
export type ParameterTaskId = components['parameters']['task_id'];
export type HeaderXRequestId = components['headers']['X-Request-Id'];
export type $defs = Record<string, never>;
export interface operations {
    listExportTasks: {
        parameters: {
            query?: {
                /**
                 * @description Only list tasks of this export type: `0` labelled samples, `1` unlabelled
                 *     samples, `2` all samples, `3` samples matching search conditions. Omit it
                 *     to list every task.
                 */
                export_type?: components["parameters"]["export_type"];
                /** @description Maximum number of tasks in one page, 1 to 100. */
                limit?: components["parameters"]["limit"];
                /** @description Index of the first task of the page, counted from 0. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path: {
                /**
                 * @description Dataset ID.
                 * @example WxCREuCkBSAlQr9xrde
                 */
                dataset_id: components["parameters"]["dataset_id"];
                /**
                 * @description Project ID of the user (IAM project of the region). See "Obtaining a Project ID" in the Huawei Cloud docs.
                 * @example 77b6a44cba5143ab91d13ab9a8ff44fd
                 */
                project_id: components["parameters"]["project_id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of export tasks. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportTaskList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createExportTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Dataset ID.
                 * @example WxCREuCkBSAlQr9xrde
                 */
                dataset_id: components["parameters"]["dataset_id"];
                /**
                 * @description Project ID of the user (IAM project of the region). See "Obtaining a Project ID" in the Huawei Cloud docs.
                 * @example 77b6a44cba5143ab91d13ab9a8ff44fd
                 */
                project_id: components["parameters"]["project_id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExportTaskRequest"];
            };
        };
        responses: {
            /**
             * @description The task was created. The documented body is the whole task, but the
             *     service has been seen returning only `task_id`, so every field is
             *     optional.
             */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportTaskStatus"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getExportTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Dataset ID.
                 * @example WxCREuCkBSAlQr9xrde
                 */
                dataset_id: components["parameters"]["dataset_id"];
                /**
                 * @description Project ID of the user (IAM project of the region). See "Obtaining a Project ID" in the Huawei Cloud docs.
                 * @example 77b6a44cba5143ab91d13ab9a8ff44fd
                 */
                project_id: components["parameters"]["project_id"];
                /**
                 * @description Export task ID, as returned by `createExportTask`.
                 * @example rF9NNoB56k5rtYKg2Y7
                 */
                task_id: components["parameters"]["task_id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export task. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportTaskStatus"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            default: components["responses"]["UnexpectedError"];
        };
    };
}
