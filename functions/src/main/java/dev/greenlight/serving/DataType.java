package dev.greenlight.serving;

import ai.onnxruntime.OnnxJavaType;
import java.util.Optional;

/** Tensor element types by their Open Inference Protocol names, with their ONNX Runtime twins. */
public enum DataType {
    BOOL(OnnxJavaType.BOOL),
    UINT8(OnnxJavaType.UINT8),
    INT8(OnnxJavaType.INT8),
    INT16(OnnxJavaType.INT16),
    INT32(OnnxJavaType.INT32),
    INT64(OnnxJavaType.INT64),
    FP16(OnnxJavaType.FLOAT16),
    FP32(OnnxJavaType.FLOAT),
    FP64(OnnxJavaType.DOUBLE),
    BYTES(OnnxJavaType.STRING);

    private final OnnxJavaType ort;

    DataType(OnnxJavaType ort) {
        this.ort = ort;
    }

    /** The protocol type of an ONNX Runtime type, or empty when Greenlight cannot carry it. */
    public static Optional<DataType> of(OnnxJavaType type) {
        for (DataType t : values()) {
            if (t.ort == type) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Parses a protocol datatype name such as {@code FP32}; empty when unknown. */
    public static Optional<DataType> parse(String name) {
        for (DataType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
