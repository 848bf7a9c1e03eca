package dev.greenlight.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.greenlight.json.Json;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * One model output copied out of native memory (so it outlives the ONNX Runtime result) as a
 * flat primitive array plus shape, and rendered as flat or nested JSON.
 *
 * @param type null for non-tensor outputs, whose {@code plain} value is rendered as JSON as is
 */
record OutputTensor(String name, DataType type, long[] shape, Object flat, Object plain) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static OutputTensor copy(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            return new OutputTensor(name, null, new long[0], null, value.getValue());
        }
        TensorInfo info = tensor.getInfo();
        DataType type = DataType.of(info.type).orElseThrow(
                () -> new IllegalStateException("output '" + name + "' has unsupported type " + info.type));
        long[] shape = info.getShape();
        Object flat = switch (type) {
            case FP16, FP32 -> toArray(tensor.getFloatBuffer());
            case FP64 -> toArray(tensor.getDoubleBuffer());
            case INT64 -> toArray(tensor.getLongBuffer());
            case INT32 -> toArray(tensor.getIntBuffer());
            case INT16 -> toArray(tensor.getShortBuffer());
            case BOOL, INT8, UINT8 -> toArray(tensor.getByteBuffer());
            case BYTES -> flattenStrings(tensor.getValue());
        };
        return new OutputTensor(name, type, shape, flat, null);
    }

    int length() {
        return flat == null ? 0 : Array.getLength(flat);
    }

    /** The whole output as a flat JSON array (Open Inference Protocol form). */
    ArrayNode flatJson() {
        ArrayNode array = NODES.arrayNode(length());
        for (int i = 0; i < length(); i++) {
            array.add(element(i));
        }
        return array;
    }

    /** The whole output as nested JSON arrays following its shape (a scalar for shape []). */
    JsonNode nested() {
        if (type == null) {
            return Json.MAPPER.valueToTree(plain);
        }
        return nested(0, 0, length());
    }

    /** Row {@code row} of the first dimension, as nested JSON. */
    JsonNode row(int row) {
        int rowSize = shape[0] == 0 ? 0 : length() / (int) shape[0];
        return nested(1, row * rowSize, rowSize);
    }

    /** Row {@code row} as a double array, for outputs that are scores. */
    double[] rowAsDoubles(int row) {
        int rowSize = length() / (int) shape[0];
        double[] values = new double[rowSize];
        for (int i = 0; i < rowSize; i++) {
            values[i] = element(row * rowSize + i).asDouble();
        }
        return values;
    }

    private JsonNode nested(int dim, int offset, int size) {
        if (dim == shape.length) {
            return element(offset);
        }
        int n = (int) shape[dim];
        int step = n == 0 ? 0 : size / n;
        ArrayNode array = NODES.arrayNode(n);
        for (int i = 0; i < n; i++) {
            array.add(nested(dim + 1, offset + i * step, step));
        }
        return array;
    }

    private JsonNode element(int i) {
        return switch (type) {
            case FP16, FP32 -> NODES.numberNode(((float[]) flat)[i]);
            case FP64 -> NODES.numberNode(((double[]) flat)[i]);
            case INT64 -> NODES.numberNode(((long[]) flat)[i]);
            case INT32 -> NODES.numberNode(((int[]) flat)[i]);
            case INT16 -> NODES.numberNode(((short[]) flat)[i]);
            case INT8 -> NODES.numberNode(((byte[]) flat)[i]);
            case UINT8 -> NODES.numberNode(((byte[]) flat)[i] & 0xff);
            case BOOL -> NODES.booleanNode(((byte[]) flat)[i] != 0);
            case BYTES -> NODES.textNode(((String[]) flat)[i]);
        };
    }

    private static float[] toArray(java.nio.FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static double[] toArray(java.nio.DoubleBuffer b) {
        double[] a = new double[b.remaining()];
        b.get(a);
        return a;
    }

    private static long[] toArray(java.nio.LongBuffer b) {
        long[] a = new long[b.remaining()];
        b.get(a);
        return a;
    }

    private static int[] toArray(java.nio.IntBuffer b) {
        int[] a = new int[b.remaining()];
        b.get(a);
        return a;
    }

    private static short[] toArray(java.nio.ShortBuffer b) {
        short[] a = new short[b.remaining()];
        b.get(a);
        return a;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static String[] flattenStrings(Object value) {
        java.util.List<String> out = new java.util.ArrayList<>();
        collect(value, out);
        return out.toArray(String[]::new);
    }

    private static void collect(Object value, java.util.List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                collect(Array.get(value, i), out);
            }
        }
    }
}
