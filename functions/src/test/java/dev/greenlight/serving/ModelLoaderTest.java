package dev.greenlight.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.demo.DemoModels;
import dev.greenlight.demo.OnnxGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke inference that every model passes before it is judged or served, on real ONNX files. */
class ModelLoaderTest {
    private static final List<String> IRIS = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");

    @TempDir
    Path dir;
    final ModelLoader loader = new ModelLoader(1, Clock.systemUTC());

    @Test
    void loads_a_model_whose_smoke_inference_answers_finite_numbers() throws Exception {
        LoadedModel model = loader.load("iris-clf", "1", "sha", 1, file(DemoModels.bytes("iris-clf-1.onnx")));

        assertThat(model.signature().inputs()).extracting(TensorSpec::name).containsExactly("features");
        model.retire();
    }

    @Test
    void refuses_a_model_whose_smoke_inference_answers_nan_naming_the_output() {
        assertThatThrownBy(() -> loader.load("iris-clf", "9", "sha", 1, file(OnnxGraphs.nanOutput(4, 3, IRIS))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the smoke inference (neutral inputs: zeros) answered NaN in output 'probabilities'"
                        + " (element 0 of 3); a model must answer finite numbers");
    }

    @Test
    void refuses_a_model_that_fails_when_it_runs() {
        assertThatThrownBy(() -> loader.load("iris-clf", "9", "sha", 1, file(OnnxGraphs.failsAtRunTime(4, 3, IRIS))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the smoke inference (neutral inputs: zeros) failed: ")
                .hasMessageContaining("indices element out of data bounds");
    }

    @Test
    void says_an_empty_artifact_is_empty() {
        assertThatThrownBy(() -> loader.load("iris-clf", "9", "sha", 1, file(new byte[0])))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the artifact is empty (0 bytes), not an ONNX model");
    }

    @Test
    void says_a_truncated_artifact_is_truncated_and_where_it_ends() {
        byte[] good = DemoModels.bytes("iris-clf-2.onnx");
        byte[] half = java.util.Arrays.copyOf(good, good.length / 2);

        assertThatThrownBy(() -> loader.load("iris-clf", "9", "sha", 1, file(half)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the artifact is truncated: its " + half.length + " bytes end in field graph,"
                        + " which declares ");
    }

    @Test
    void says_random_bytes_are_corrupt_and_not_an_onnx_model() {
        byte[] noise = new byte[2048];
        new java.util.Random(7).nextBytes(noise);

        assertThatThrownBy(() -> loader.load("iris-clf", "9", "sha", 1, file(noise)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the artifact is corrupt, not an ONNX model: at byte 0, ");
    }

    private Path file(byte[] bytes) throws Exception {
        return Files.write(Files.createTempFile(dir, "model", ".onnx"), bytes);
    }
}
