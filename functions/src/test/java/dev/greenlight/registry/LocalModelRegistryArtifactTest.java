package dev.greenlight.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelRegistryArtifactTest {
    @TempDir
    Path dir;

    @Test
    void a_missing_artifact_says_not_found_and_where_it_was_looked_for() throws Exception {
        LocalModelRegistry registry = new LocalModelRegistry(dir.resolve("registry"));
        Path file = Files.writeString(dir.resolve("m.onnx"), "not really onnx");
        ModelVersion version = registry.register("iris-clf", file, Map.of(), Map.of(), null);
        Path artifact = dir.resolve("registry/iris-clf/1/model.onnx");
        Files.delete(artifact);

        assertThatThrownBy(() -> registry.openArtifact(version))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("artifact of iris-clf:1 not found at " + artifact);
    }
}
