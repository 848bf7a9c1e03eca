package dev.greenlight.serving;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.errors.BadRequest;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * Turns client JSON into ONNX Runtime tensors, checking everything ONNX Runtime would not:
 * shape against the declared one, element count, element type and range. Every error names the
 * input and what was expected, and nothing of the payload.
 */
final class InputTensors {
    private static final OrtEnvironment ENV = OrtRuntime.environment();
    /** The largest finite FP16 value. */
    private static final double HALF_MAX = 65504;

    private InputTensors() {
    }

    /** The shape implied by nested JSON arrays (a scalar has shape []); checks they are regular. */
    static long[] shapeOf(JsonNode value, String input) {
        int rank = 0;
        for (JsonNode n = value; n.isArray(); n = n.get(0)) {
            rank++;
            if (n.isEmpty()) {
                break;
            }
        }
        long[] shape = new long[rank];
        JsonNode n = value;
        for (int i = 0; i < rank; i++) {
            shape[i] = n.size();
            n = n.size() > 0 ? n.get(0) : n;
        }
        checkRegular(value, shape, 0, input);
        return shape;
    }

    private static void checkRegular(JsonNode node, long[] shape, int depth, String input) {
        if (depth == shape.length) {
            if (node.isArray() || node.isObject()) {
                throw new BadRequest("invalid_input", "input '" + input + "' is not a regular array: found a nested "
                        + (node.isArray() ? "array" : "object") + " at depth " + depth + " where a value was expected");
            }
            return;
        }
        if (!node.isArray() || node.size() != shape[depth]) {
            throw new BadRequest("invalid_input", "input '" + input + "' is not a regular array: expected "
                    + shape[depth] + " elements at depth " + depth + ", found "
                    + (node.isArray() ? node.size() + " elements" : "a single value"));
        }
        for (JsonNode child : node) {
            checkRegular(child, shape, depth + 1, input);
        }
    }

    /** Builds a tensor for {@code spec} from values in row-major order (nested or flat). */
    static OnnxTensor create(TensorSpec spec, long[] shape, JsonNode data) {
        if (spec.type() == null) {
            throw new BadRequest("unsupported_input", "input " + spec.describe() + " is not a tensor");
        }
        if (!spec.accepts(shape)) {
            throw new BadRequest("invalid_shape", "input '" + spec.name() + "' expects shape "
                    + Arrays.toString(spec.shape()) + " (-1 = any), got " + Arrays.toString(shape));
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new BadRequest("invalid_shape", "input '" + spec.name() + "' has a negative dimension in "
                        + Arrays.toString(shape));
            }
            count = d == 0 || count <= Long.MAX_VALUE / d ? count * d : Long.MAX_VALUE;
        }
        // Count before allocating: a small body must not be able to claim a huge shape.
        long given = countLeaves(data);
        if (given != count) {
            throw new BadRequest("invalid_shape", "input '" + spec.name() + "' with shape " + Arrays.toString(shape)
                    + " needs " + count + " values, got " + given);
        }
        Leaves leaves = new Leaves(spec, count);
        leaves.collect(data);
        try {
            return leaves.toTensor(shape);
        } catch (OrtException e) {
            throw new BadRequest("invalid_input", "input '" + spec.name() + "' could not be turned into a tensor: "
                    + e.getMessage());
        }
    }

    private static long countLeaves(JsonNode node) {
        if (!node.isArray()) {
            return 1;
        }
        long n = 0;
        for (JsonNode child : node) {
            n += countLeaves(child);
        }
        return n;
    }

    /** Collects leaf values straight into a primitive array of the declared type. */
    private static final class Leaves {
        private final TensorSpec spec;
        private final Object array;
        private int size;

        Leaves(TensorSpec spec, long count) {
            this.spec = spec;
            if (count > Integer.MAX_VALUE - 8) {
                throw new BadRequest("invalid_shape", "input '" + spec.name() + "' is too large: " + count + " values");
            }
            int n = (int) count;
            this.array = switch (spec.type()) {
                case BOOL, UINT8, INT8 -> new byte[n];
                case INT16 -> new short[n];
                case INT32 -> new int[n];
                case INT64 -> new long[n];
                case FP16, FP32 -> new float[n];
                case FP64 -> new double[n];
                case BYTES -> new String[n];
            };
        }

        void collect(JsonNode node) {
            if (node.isArray()) {
                for (JsonNode child : node) {
                    collect(child);
                }
                return;
            }
            put(node);
            size++;
        }

        private void put(JsonNode v) {
            switch (spec.type()) {
                case BOOL -> {
                    if (v.isBoolean()) {
                        ((byte[]) array)[size] = (byte) (v.booleanValue() ? 1 : 0);
                    } else if (v.isIntegralNumber() && (v.longValue() == 0 || v.longValue() == 1)) {
                        ((byte[]) array)[size] = (byte) v.longValue();
                    } else {
                        throw wrong("a boolean");
                    }
                }
                case UINT8 -> ((byte[]) array)[size] = (byte) integral(v, 0, 255);
                case INT8 -> ((byte[]) array)[size] = (byte) integral(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case INT16 -> ((short[]) array)[size] = (short) integral(v, Short.MIN_VALUE, Short.MAX_VALUE);
                case INT32 -> ((int[]) array)[size] = (int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case INT64 -> ((long[]) array)[size] = integral(v, Long.MIN_VALUE, Long.MAX_VALUE);
                case FP16 -> ((float[]) array)[size] = finite((float) number(v), HALF_MAX);
                case FP32 -> ((float[]) array)[size] = finite((float) number(v), Float.MAX_VALUE);
                case FP64 -> ((double[]) array)[size] = finite(number(v), Double.MAX_VALUE);
                case BYTES -> {
                    if (!v.isTextual()) {
                        throw wrong("a string");
                    }
                    ((String[]) array)[size] = v.textValue();
                }
            }
        }

        private double number(JsonNode v) {
            if (!v.isNumber()) {
                throw wrong("a number");
            }
            return v.doubleValue();
        }

        /**
         * JSON has no NaN or Infinity, but {@code 1e400} parses as Infinity and {@code 1e39} is one
         * once narrowed to FP32: a model would answer NaN scores with 200, so refuse the value.
         */
        private <T extends Number> T finite(T value, double max) {
            double d = value.doubleValue();
            if (!Double.isFinite(d) || Math.abs(d) > max) {
                throw new BadRequest("invalid_value", "input '" + spec.name() + "' (" + spec.type() + ") value #"
                        + size + " is not a finite " + spec.type() + " number (at most " + (float) max
                        + " in magnitude)");
            }
            return value;
        }

        private long integral(JsonNode v, long min, long max) {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw wrong("an integer");
            }
            long value = v.longValue();
            if (value < min || value > max) {
                throw new BadRequest("invalid_value", "input '" + spec.name() + "' (" + spec.type() + ") value #"
                        + size + " is out of range [" + min + ", " + max + "]");
            }
            return value;
        }

        private BadRequest wrong(String expected) {
            return new BadRequest("invalid_value", "input '" + spec.name() + "' (" + spec.type() + ") expects "
                    + expected + " at value #" + size);
        }

        OnnxTensor toTensor(long[] shape) throws OrtException {
            return switch (spec.type()) {
                case BOOL -> OnnxTensor.createTensor(ENV, ByteBuffer.wrap((byte[]) array), shape, OnnxJavaType.BOOL);
                case UINT8 -> OnnxTensor.createTensor(ENV, ByteBuffer.wrap((byte[]) array), shape, OnnxJavaType.UINT8);
                case INT8 -> OnnxTensor.createTensor(ENV, ByteBuffer.wrap((byte[]) array), shape);
                case INT16 -> OnnxTensor.createTensor(ENV, ShortBuffer.wrap((short[]) array), shape);
                case INT32 -> OnnxTensor.createTensor(ENV, IntBuffer.wrap((int[]) array), shape);
                case INT64 -> OnnxTensor.createTensor(ENV, LongBuffer.wrap((long[]) array), shape);
                case FP16 -> OnnxTensor.createTensor(ENV, ShortBuffer.wrap(toHalf((float[]) array)), shape,
                        OnnxJavaType.FLOAT16);
                case FP32 -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap((float[]) array), shape);
                case FP64 -> OnnxTensor.createTensor(ENV, DoubleBuffer.wrap((double[]) array), shape);
                case BYTES -> OnnxTensor.createTensor(ENV, (String[]) array, shape);
            };
        }

        private static short[] toHalf(float[] values) {
            short[] half = new short[values.length];
            for (int i = 0; i < values.length; i++) {
                half[i] = ai.onnxruntime.platform.Fp16Conversions.floatToFp16(values[i]);
            }
            return half;
        }
    }
}
