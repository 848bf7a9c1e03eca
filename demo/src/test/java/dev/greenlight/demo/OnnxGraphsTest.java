package dev.greenlight.demo;

import static dev.greenlight.demo.OrtSessions.create;
import static dev.greenlight.demo.OrtSessions.open;
import static dev.greenlight.demo.OrtSessions.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnnxGraphsTest {

    @Test
    void multi_io_declares_every_input_and_output_with_its_type_and_shape() throws OrtException {
        try (OrtSession session = open(OnnxGraphs.multiIo())) {
            var inputs = session.getInputInfo();
            assertThat(inputs.keySet()).containsExactlyInAnyOrder("x", "scale", "mask", "ids", "weights", "names");
            assertTensor(tensor(inputs, "x"), OnnxJavaType.FLOAT, -1, 3);
            assertTensor(tensor(inputs, "scale"), OnnxJavaType.INT64);
            assertThat(tensor(inputs, "scale").isScalar()).isTrue();
            assertTensor(tensor(inputs, "mask"), OnnxJavaType.BOOL, -1);
            assertTensor(tensor(inputs, "ids"), OnnxJavaType.INT32, -1);
            assertTensor(tensor(inputs, "weights"), OnnxJavaType.DOUBLE, -1, 2);
            assertTensor(tensor(inputs, "names"), OnnxJavaType.STRING, -1);
            assertThat(tensor(inputs, "x").getDimensionNames()).containsExactly("N", "");

            var outputs = session.getOutputInfo();
            assertThat(outputs.keySet())
                    .containsExactlyInAnyOrder("y", "not_mask", "ids_out", "weights_sum", "names_out");
            assertTensor(tensor(outputs, "y"), OnnxJavaType.FLOAT, -1, 3);
            assertTensor(tensor(outputs, "not_mask"), OnnxJavaType.BOOL, -1);
            assertTensor(tensor(outputs, "ids_out"), OnnxJavaType.INT32, -1);
            assertTensor(tensor(outputs, "weights_sum"), OnnxJavaType.DOUBLE, -1);
            assertTensor(tensor(outputs, "names_out"), OnnxJavaType.STRING, -1);
        }
    }

    @Test
    void multi_io_computes_every_output_from_its_input() throws OrtException {
        try (OrtSession session = open(OnnxGraphs.multiIo());
             OnnxTensor x = create(new float[][] {{1f, 2f, 3f}, {-0.5f, 0f, 4f}});
             OnnxTensor scale = create(3L);
             OnnxTensor mask = create(new boolean[] {true, false});
             OnnxTensor ids = create(new int[] {7, -2});
             OnnxTensor weights = create(new double[][] {{0.25, 0.5}, {10.0, -1.5}});
             OnnxTensor names = create(new String[] {"alpha", "βeta"});
             OrtSession.Result result = session.run(Map.of(
                     "x", x, "scale", scale, "mask", mask, "ids", ids, "weights", weights, "names", names))) {
            assertThat((float[][]) result.get("y").orElseThrow().getValue())
                    .isDeepEqualTo(new float[][] {{3f, 6f, 9f}, {-1.5f, 0f, 12f}});
            assertThat((boolean[]) result.get("not_mask").orElseThrow().getValue()).containsExactly(false, true);
            assertThat((int[]) result.get("ids_out").orElseThrow().getValue()).containsExactly(7, -2);
            assertThat((double[]) result.get("weights_sum").orElseThrow().getValue()).containsExactly(0.75, 8.5);
            assertThat((String[]) result.get("names_out").orElseThrow().getValue()).containsExactly("alpha", "βeta");
        }
    }

    @Test
    void classifier_computes_softmax_of_its_linear_layer_and_carries_its_labels() throws Exception {
        List<String> labels = List.of("cat", "dog", "eel", "fox");
        byte[] bytes = OnnxGraphs.classifier(5, 4, 11L, labels);
        float[][] weight = matrix(initializer(bytes, "weight"));
        float[] bias = initializer(bytes, "bias").values();
        float[][] rows = randomRows(3, 5, 1L);

        try (OrtSession session = open(bytes); OnnxTensor features = create(rows);
             OrtSession.Result result = session.run(Map.of("features", features))) {
            assertThat(session.getInputInfo().keySet()).containsExactly("features");
            assertTensor(tensor(session.getInputInfo(), "features"), OnnxJavaType.FLOAT, -1, 5);
            assertThat(session.getOutputInfo().keySet()).containsExactly("probabilities");
            assertTensor(tensor(session.getOutputInfo(), "probabilities"), OnnxJavaType.FLOAT, -1, 4);
            assertThat(session.getMetadata().getCustomMetadata())
                    .containsEntry("labels", "[\"cat\",\"dog\",\"eel\",\"fox\"]");

            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            for (int r = 0; r < rows.length; r++) {
                double[] expected = softmax(add(multiply(rows[r], weight), bias));
                for (int c = 0; c < 4; c++) {
                    assertThat((double) probabilities[r][c]).isCloseTo(expected[c], within(1e-5));
                }
            }
        }
    }

    @Test
    void classifier_weights_depend_only_on_the_seed() {
        List<String> labels = List.of("a", "b");
        assertThat(OnnxGraphs.classifier(3, 2, 5L, labels)).isEqualTo(OnnxGraphs.classifier(3, 2, 5L, labels));
        assertThat(OnnxGraphs.classifier(3, 2, 5L, labels)).isNotEqualTo(OnnxGraphs.classifier(3, 2, 6L, labels));
    }

    @Test
    void classifier_refuses_a_label_count_that_differs_from_the_class_count() {
        assertThatThrownBy(() -> OnnxGraphs.classifier(3, 3, 1L, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 classes but 2 labels");
    }

    @Test
    void heavy_matches_a_plain_java_forward_pass() throws Exception {
        byte[] bytes = OnnxGraphs.heavy(16, 3, 9L);
        float[][] hidden = matrix(initializer(bytes, "w_hidden"));
        float[][] out = matrix(initializer(bytes, "w_out"));
        float[][] rows = randomRows(4, 16, 2L);

        try (OrtSession session = open(bytes); OnnxTensor x = create(rows);
             OrtSession.Result result = session.run(Map.of("x", x))) {
            assertTensor(tensor(session.getInputInfo(), "x"), OnnxJavaType.FLOAT, -1, 16);
            assertTensor(tensor(session.getOutputInfo(), "probabilities"), OnnxJavaType.FLOAT, -1, 3);
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("labels", "[\"a\",\"b\",\"c\"]");

            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            for (int r = 0; r < rows.length; r++) {
                double[] h = toDouble(rows[r]);
                for (int layer = 0; layer < 3; layer++) {
                    h = relu(multiply(h, hidden));
                }
                double[] expected = softmax(multiply(h, out));
                for (int c = 0; c < 3; c++) {
                    assertThat((double) probabilities[r][c]).isCloseTo(expected[c], within(1e-4));
                }
            }
        }
    }

    @Test
    void heavy_default_runs_a_single_row_and_keeps_activations_finite() throws OrtException {
        int width = OnnxGraphs.HEAVY_DEFAULT_WIDTH;
        float[] row = randomRows(1, width, 3L)[0];
        try (OrtSession session = open(OnnxGraphs.heavyDefault());
             OnnxTensor x = OnnxTensor.createTensor(OrtSessions.ENV, FloatBuffer.wrap(row), new long[] {1, width})) {
            assertTensor(tensor(session.getInputInfo(), "x"), OnnxJavaType.FLOAT, -1, width);
            float[][] probabilities = run(session, x);
            // Timing is reported, not asserted: it depends on the machine. Calibration lives in the bench module.
            long[] nanos = new long[200];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                run(session, x);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("heavyDefault(): width %d, %d layers, median single-row call %.3f ms%n",
                    width, OnnxGraphs.HEAVY_DEFAULT_LAYERS, nanos[nanos.length / 2] / 1e6);

            assertThat(probabilities).hasDimensions(1, 3);
            for (float p : probabilities[0]) {
                assertThat(Float.isFinite(p)).as("probability %s is finite", p).isTrue();
            }
            assertThat((double) (probabilities[0][0] + probabilities[0][1] + probabilities[0][2]))
                    .isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void fixed_batch_declares_a_fixed_shape_and_copies_its_input() throws OrtException {
        try (OrtSession session = open(OnnxGraphs.fixedBatch());
             OnnxTensor x = create(new float[][] {{1f, 2f, 3f, 4f}});
             OrtSession.Result result = session.run(Map.of("x", x))) {
            assertTensor(tensor(session.getInputInfo(), "x"), OnnxJavaType.FLOAT, 1, 4);
            assertTensor(tensor(session.getOutputInfo(), "y"), OnnxJavaType.FLOAT, 1, 4);
            assertThat((float[][]) result.get("y").orElseThrow().getValue())
                    .isDeepEqualTo(new float[][] {{1f, 2f, 3f, 4f}});
        }
    }

    @Test
    void fixed_batch_rejects_a_batch_of_two() throws OrtException {
        try (OrtSession session = open(OnnxGraphs.fixedBatch());
             OnnxTensor x = create(new float[][] {{1f, 2f, 3f, 4f}, {5f, 6f, 7f, 8f}})) {
            assertThatThrownBy(() -> session.run(Map.of("x", x)))
                    .isInstanceOf(OrtException.class)
                    .hasMessageContaining("dimension");
        }
    }

    @Test
    void nan_output_has_the_classifier_signature_and_answers_nan_for_any_input() throws OrtException {
        try (OrtSession session = open(OnnxGraphs.nanOutput(4, 3, List.of("a", "b", "c")));
             OnnxTensor features = create(new float[][] {{0f, 0f, 0f, 0f}, {5.1f, -3.5f, 1.4f, 0.2f}});
             OrtSession.Result result = session.run(Map.of("features", features))) {
            assertTensor(tensor(session.getInputInfo(), "features"), OnnxJavaType.FLOAT, -1, 4);
            assertTensor(tensor(session.getOutputInfo(), "probabilities"), OnnxJavaType.FLOAT, -1, 3);
            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            assertThat(probabilities).hasDimensions(2, 3);
            for (float[] row : probabilities) {
                for (float p : row) {
                    assertThat(Float.isNaN(p)).as("probability %s is NaN", p).isTrue();
                }
            }
        }
    }

    @Test
    void fails_at_run_time_loads_with_the_classifier_signature_and_fails_every_run() throws OrtException {
        try (OrtSession session = open(OnnxGraphs.failsAtRunTime(4, 3, List.of("a", "b", "c")));
             OnnxTensor features = create(new float[][] {{0f, 0f, 0f, 0f}})) {
            assertTensor(tensor(session.getInputInfo(), "features"), OnnxJavaType.FLOAT, -1, 4);
            assertTensor(tensor(session.getOutputInfo(), "probabilities"), OnnxJavaType.FLOAT, -1, 3);
            assertThatThrownBy(() -> session.run(Map.of("features", features)).close())
                    .isInstanceOf(OrtException.class)
                    .hasMessageContaining("out of");
        }
    }

    @Test
    void padded_keeps_the_graph_and_grows_the_file_by_at_least_the_padding() throws Exception {
        byte[] model = OnnxGraphs.classifier(4, 3, 1L, List.of("a", "b", "c"));
        byte[] padded = OnnxGraphs.padded(model, 100_000);

        assertThat(padded.length).isGreaterThanOrEqualTo(model.length + 100_000);
        assertThat(ModelProto.parseFrom(padded).getGraph()).isEqualTo(ModelProto.parseFrom(model).getGraph());
        try (OrtSession session = open(padded)) {
            assertTensor(tensor(session.getInputInfo(), "features"), OnnxJavaType.FLOAT, -1, 4);
        }
    }

    @Test
    void fixtures_declare_ir_version_8_and_opset_13() throws InvalidProtocolBufferException {
        for (byte[] bytes : List.of(OnnxGraphs.multiIo(), OnnxGraphs.fixedBatch(),
                OnnxGraphs.classifier(2, 2, 1L, List.of("a", "b")), OnnxGraphs.heavy(4, 1, 1L),
                OnnxGraphs.nanOutput(2, 2, List.of("a", "b")), OnnxGraphs.failsAtRunTime(2, 2, List.of("a", "b")))) {
            ModelProto model = ModelProto.parseFrom(bytes);
            assertThat(model.getIrVersion()).isEqualTo(8);
            assertThat(model.getOpsetImportList()).singleElement()
                    .satisfies(opset -> assertThat(opset.getVersion()).isEqualTo(13));
        }
    }

    private static float[][] run(OrtSession session, OnnxTensor x) throws OrtException {
        try (OrtSession.Result result = session.run(Map.of("x", x))) {
            return (float[][]) result.get("probabilities").orElseThrow().getValue();
        }
    }

    private static void assertTensor(TensorInfo info, OnnxJavaType type, long... shape) {
        assertThat(info.type).isEqualTo(type);
        assertThat(info.getShape()).containsExactly(shape);
    }

    /** An initializer read back from the model bytes, so tests check the graph against its own weights. */
    private record Initializer(long[] dims, float[] values) {
    }

    private static Initializer initializer(byte[] model, String name) throws InvalidProtocolBufferException {
        TensorProto tensor = ModelProto.parseFrom(model).getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no initializer " + name));
        FloatBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[raw.remaining()];
        raw.get(values);
        return new Initializer(tensor.getDimsList().stream().mapToLong(Long::longValue).toArray(), values);
    }

    private static float[][] matrix(Initializer initializer) {
        int rows = (int) initializer.dims()[0];
        int cols = (int) initializer.dims()[1];
        float[][] matrix = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(initializer.values(), r * cols, matrix[r], 0, cols);
        }
        return matrix;
    }

    private static float[][] randomRows(int count, int width, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[count][width];
        for (float[] row : rows) {
            for (int i = 0; i < width; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return rows;
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static double[] multiply(float[] row, float[][] matrix) {
        return multiply(toDouble(row), matrix);
    }

    private static double[] multiply(double[] row, float[][] matrix) {
        double[] result = new double[matrix[0].length];
        for (int i = 0; i < row.length; i++) {
            for (int j = 0; j < result.length; j++) {
                result[j] += row[i] * matrix[i][j];
            }
        }
        return result;
    }

    private static double[] add(double[] values, float[] bias) {
        double[] result = values.clone();
        for (int i = 0; i < result.length; i++) {
            result[i] += bias[i];
        }
        return result;
    }

    private static double[] relu(double[] values) {
        return Arrays.stream(values).map(v -> Math.max(0, v)).toArray();
    }

    private static double[] softmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double[] exp = Arrays.stream(logits).map(v -> Math.exp(v - max)).toArray();
        double sum = Arrays.stream(exp).sum();
        return Arrays.stream(exp).map(v -> v / sum).toArray();
    }
}
