// The part of Triton Inference Server's model configuration that Kneepoint emits, written for
// validating generated config.pbtxt files. It mirrors a subset of the messages of Triton's
// model_config.proto (https://github.com/triton-inference-server/common, protobuf/model_config.proto,
// BSD-3-Clause, NVIDIA): same package, message names, field names, numbers and types, so a text this
// subset accepts is accepted by Triton's full definition. Fields Kneepoint does not emit are left out:
// parsing is strict, so emitting one by mistake fails validation instead of passing unchecked.
// Kept as a TypeScript string so it travels with the engine sources (packaged apps ship main/**/*.ts).
export const TRITON_MODEL_CONFIG_PROTO = `
syntax = "proto3";

package inference;

enum DataType {
  TYPE_INVALID = 0;
  TYPE_BOOL = 1;
  TYPE_UINT8 = 2;
  TYPE_UINT16 = 3;
  TYPE_UINT32 = 4;
  TYPE_UINT64 = 5;
  TYPE_INT8 = 6;
  TYPE_INT16 = 7;
  TYPE_INT32 = 8;
  TYPE_INT64 = 9;
  TYPE_FP16 = 10;
  TYPE_FP32 = 11;
  TYPE_FP64 = 12;
  TYPE_STRING = 13;
  TYPE_BF16 = 14;
}

message ModelInstanceGroup {
  enum Kind {
    KIND_AUTO = 0;
    KIND_GPU = 1;
    KIND_CPU = 2;
    KIND_MODEL = 3;
  }
  string name = 1;
  int32 count = 2;
  repeated int32 gpus = 3;
  Kind kind = 4;
}

message ModelTensorReshape {
  repeated int64 shape = 1;
}

message ModelInput {
  enum Format {
    FORMAT_NONE = 0;
    FORMAT_NHWC = 1;
    FORMAT_NCHW = 2;
  }
  string name = 1;
  DataType data_type = 2;
  Format format = 3;
  repeated int64 dims = 4;
  ModelTensorReshape reshape = 5;
}

message ModelOutput {
  string name = 1;
  DataType data_type = 2;
  repeated int64 dims = 3;
  ModelTensorReshape reshape = 5;
}

message ModelQueuePolicy {
  enum TimeoutAction {
    REJECT = 0;
    DELAY = 1;
  }
  TimeoutAction timeout_action = 1;
  uint64 default_timeout_microseconds = 2;
  bool allow_timeout_override = 3;
  uint32 max_queue_size = 4;
}

message ModelDynamicBatching {
  repeated int32 preferred_batch_size = 1;
  uint64 max_queue_delay_microseconds = 2;
  bool preserve_ordering = 3;
  ModelQueuePolicy default_queue_policy = 6;
}

message ModelParameter {
  string string_value = 1;
}

message ModelConfig {
  string name = 1;
  string platform = 2;
  int32 max_batch_size = 4;
  repeated ModelInput input = 5;
  repeated ModelOutput output = 6;
  repeated ModelInstanceGroup instance_group = 7;
  string default_model_filename = 8;
  oneof scheduling_choice {
    ModelDynamicBatching dynamic_batching = 11;
  }
  map<string, ModelParameter> parameters = 14;
  string backend = 17;
}
`;
