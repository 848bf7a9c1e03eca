package dev.greenlight.demo;

import static dev.greenlight.demo.OrtSessions.argmax;
import static dev.greenlight.demo.OrtSessions.create;
import static dev.greenlight.demo.OrtSessions.open;
import static dev.greenlight.demo.OrtSessions.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrisTrainerTest {

    private static final double GATE_FLOOR = 0.85;
    private static final List<String> SPECIES = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");

    private static IrisTrainer.TrainedVersion v1;
    private static IrisTrainer.TrainedVersion v2;
    private static IrisTrainer.TrainedVersion v3;

    @BeforeAll
    static void trainAllVersions() {
        v1 = IrisTrainer.train(1);
        v2 = IrisTrainer.train(2);
        v3 = IrisTrainer.train(3);
    }

    @Test
    void versions_are_ordered_for_the_promotion_demo() {
        assertThat(v1.f1()).as("baseline passes the floor").isBetween(0.86, 0.93);
        assertThat(v2.f1()).as("improved candidate").isGreaterThanOrEqualTo(v1.f1() + 0.03);
        assertThat(v3.f1()).as("bad candidate fails the floor").isLessThan(GATE_FLOOR).isLessThan(v1.f1());
        assertThat(v1.f1()).isGreaterThanOrEqualTo(GATE_FLOOR);
    }

    @Test
    void every_version_is_evaluated_on_the_same_70_30_split() {
        for (var version : List.of(v1, v2, v3)) {
            assertThat(version.trainRows()).isEqualTo(105);
            assertThat(version.testRows()).isEqualTo(45);
        }
    }

    @Test
    void exported_models_take_features_and_return_probabilities() throws OrtException {
        for (var version : List.of(v1, v2, v3)) {
            try (OrtSession session = open(version.onnx())) {
                assertThat(session.getInputInfo().keySet()).containsExactly("features");
                TensorInfo input = tensor(session.getInputInfo(), "features");
                assertThat(input.type).isEqualTo(OnnxJavaType.FLOAT);
                assertThat(input.getShape()).containsExactly(-1, 4);
                assertThat(session.getOutputInfo().keySet()).containsExactly("probabilities");
                TensorInfo output = tensor(session.getOutputInfo(), "probabilities");
                assertThat(output.type).isEqualTo(OnnxJavaType.FLOAT);
                assertThat(output.getShape()).containsExactly(-1, 3);
            }
        }
    }

    @Test
    void labels_metadata_lists_the_species_in_output_column_order() throws Exception {
        for (var version : List.of(v1, v2, v3)) {
            try (OrtSession session = open(version.onnx())) {
                Map<String, String> metadata = session.getMetadata().getCustomMetadata();
                assertThat(metadata).containsOnlyKeys("labels");
                List<String> labels = new ObjectMapper().readValue(metadata.get("labels"), new TypeReference<>() {
                });
                assertThat(labels).containsExactlyInAnyOrderElementsOf(SPECIES).isEqualTo(version.labels());
            }
        }
    }

    @Test
    void onnx_predictions_reproduce_the_measured_accuracy() throws OrtException {
        // Decoding columns with the labels metadata must give exactly what Tribuo measured, which also proves
        // the label order and the feature column order survived the export.
        List<IrisSample> test = IrisData.stratifiedSplit(IrisData.load(), IrisTrainer.TRAIN_FRACTION,
                IrisTrainer.SEED).test();
        for (var version : List.of(v1, v2, v3)) {
            List<String> predicted = predict(version, test.stream().map(IrisSample::features).toArray(float[][]::new));
            long correct = IntStream.range(0, test.size())
                    .filter(i -> predicted.get(i).equals(test.get(i).species()))
                    .count();
            assertThat((double) correct / test.size()).isCloseTo(version.accuracy(), within(1e-9));
        }
    }

    @Test
    void clear_cut_flowers_get_their_species() throws OrtException {
        float[][] rows = {
            {5.1f, 3.5f, 1.4f, 0.2f}, // first row of the data: setosa
            {5.7f, 2.8f, 4.1f, 1.3f}, // last versicolor row
            {7.7f, 3.0f, 6.1f, 2.3f}, // large virginica
        };
        for (var version : List.of(v1, v2, v3)) {
            assertThat(predict(version, rows).get(0)).isEqualTo("Iris-setosa");
        }
        assertThat(predict(v2, rows)).containsExactly("Iris-setosa", "Iris-versicolor", "Iris-virginica");
    }

    @Test
    void exports_are_byte_identical_across_runs() {
        assertThat(IrisTrainer.train(1).onnx()).isEqualTo(v1.onnx());
        // The copy in target/classes was written by the build in another JVM.
        assertThat(DemoModels.bytes("iris-clf-1.onnx")).isEqualTo(v1.onnx());
        assertThat(DemoModels.bytes("iris-clf-2.onnx")).isEqualTo(v2.onnx());
        assertThat(DemoModels.bytes("iris-clf-3.onnx")).isEqualTo(v3.onnx());
    }

    @Test
    void exports_carry_no_tribuo_provenance() throws Exception {
        ModelProto model = ModelProto.parseFrom(v1.onnx());
        assertThat(model.getMetadataPropsList()).extracting(e -> e.getKey()).containsExactly("labels");
        assertThat(model.getDocString())
                .startsWith("iris-clf v1: Iris species classifier.")
                .doesNotContain("creation-time", "java-version", "host");
        assertThat(model.getModelVersion()).isEqualTo(1);
    }

    @Test
    void write_all_produces_the_onnx_files_and_a_manifest_with_their_hashes(@TempDir Path out) throws IOException {
        DemoManifest manifest = IrisTrainer.writeAll(out);

        assertThat(manifest.model()).isEqualTo("iris-clf");
        assertThat(manifest.versions()).extracting(DemoManifest.Version::file)
                .containsExactly("iris-clf-1.onnx", "iris-clf-2.onnx", "iris-clf-3.onnx");
        IntFunction<IrisTrainer.TrainedVersion> trained = n -> List.of(v1, v2, v3).get(n - 1);
        for (DemoManifest.Version entry : manifest.versions()) {
            byte[] written = Files.readAllBytes(out.resolve(entry.file()));
            assertThat(written).isEqualTo(trained.apply(entry.version()).onnx());
            assertThat(entry.sha256()).isEqualTo(IrisTrainer.sha256(written)).hasSize(64);
            assertThat(entry.properties()).containsOnlyKeys("f1", "accuracy", "trainer", "train_rows", "test_rows");
            assertThat(entry.properties().get("f1")).matches("0\\.\\d{4}");
            assertThat(Double.parseDouble(entry.properties().get("f1")))
                    .isCloseTo(trained.apply(entry.version()).f1(), within(5e-5));
            assertThat(entry.tags()).containsExactly(Map.entry("framework", "tribuo"), Map.entry("task", "classification"));
        }
        String json = Files.readString(out.resolve("models.json"));
        assertThat(new ObjectMapper().readValue(json, DemoManifest.class)).isEqualTo(manifest);
    }

    private static List<String> predict(IrisTrainer.TrainedVersion version, float[][] rows) throws OrtException {
        try (OrtSession session = open(version.onnx()); OnnxTensor features = create(rows);
             OrtSession.Result result = session.run(Map.of("features", features))) {
            int[] columns = argmax((float[][]) result.get("probabilities").orElseThrow().getValue());
            return IntStream.of(columns).mapToObj(version.labels()::get).toList();
        }
    }
}
