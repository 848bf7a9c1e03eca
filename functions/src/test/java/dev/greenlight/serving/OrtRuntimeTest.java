package dev.greenlight.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.demo.DemoModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime leaves nothing in the temp folder, even when the process is killed. */
class OrtRuntimeTest {
    @TempDir
    Path tmp;

    @Test
    void two_killed_processes_that_served_a_model_leave_no_onnx_runtime_folder_in_the_temp_dir() throws Exception {
        Path model = tmp.resolve("iris.onnx");
        Files.write(model, DemoModels.bytes("iris-clf-1.onnx"));
        Path childTmp = Files.createDirectory(tmp.resolve("child-tmp"));

        for (int run = 0; run < 2; run++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + childTmp, "-cp", System.getProperty("java.class.path"),
                    LoadThenHalt.class.getName(), model.toString())
                    .redirectErrorStream(true).start();
            boolean exited = child.waitFor(120, TimeUnit.SECONDS);
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(exited).as(output).isTrue();
            assertThat(output).contains("loaded and answered");
            assertThat(child.exitValue()).as(output).isZero();
        }
        assertThat(entries(childTmp)).noneMatch(name -> name.startsWith("onnxruntime-java"));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Starts ONNX Runtime as the app does, loads and smoke-tests a model, then dies without exit hooks, as a kill does. */
    static final class LoadThenHalt {
        public static void main(String[] args) throws Exception {
            ModelLoader loader = new ModelLoader(1, Clock.systemUTC());
            LoadedModel model = loader.load("iris-clf", "1", "sha", 1, Path.of(args[0]));
            System.out.println("loaded and answered: " + model.signature().inputNames());
            model.retire();
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
