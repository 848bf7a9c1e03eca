package dev.greenlight.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoModelsTest {

    @Test
    void manifest_lists_the_three_generated_versions() {
        DemoManifest manifest = DemoModels.manifest();

        assertThat(manifest.model()).isEqualTo("iris-clf");
        assertThat(manifest.dataset()).isEqualTo("UCI Iris (150 rows), stratified 70/30 split, seed 42");
        assertThat(manifest.versions()).extracting(DemoManifest.Version::version).containsExactly(1, 2, 3);
        assertThat(manifest.version(2).file()).isEqualTo("iris-clf-2.onnx");
    }

    @Test
    void every_listed_file_is_on_the_classpath_with_the_listed_hash() {
        for (DemoManifest.Version version : DemoModels.manifest().versions()) {
            assertThat(IrisTrainer.sha256(DemoModels.bytes(version.file()))).isEqualTo(version.sha256());
        }
    }

    @Test
    void manifest_properties_are_strings_in_registry_form() {
        DemoManifest.Version baseline = DemoModels.manifest().version(1);

        assertThat(baseline.properties()).containsKeys("f1", "accuracy", "trainer")
                .containsEntry("train_rows", "105").containsEntry("test_rows", "45");
        assertThat(baseline.tags()).containsEntry("framework", "tribuo").containsEntry("task", "classification");
    }

    @Test
    void unknown_files_and_paths_are_refused() {
        assertThatThrownBy(() -> DemoModels.open("iris-clf-9.onnx"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iris-clf-9.onnx");
        assertThatThrownBy(() -> DemoModels.open("../iris.csv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bare file name");
        assertThatThrownBy(() -> DemoModels.manifest().version(4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 2, 3]");
    }
}
