package dev.greenlight.serving;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The process's one ONNX Runtime environment, and the removal of the files ONNX Runtime leaves.
 *
 * <p>ONNX Runtime 1.23 extracts its native libraries (about 22 MB) into a new
 * {@code onnxruntime-java*} folder under {@code java.io.tmpdir} at every start and only asks
 * for it to be deleted on exit; the folder is deleted before its files, so even a clean exit
 * leaves it, and a killed process leaves the libraries too. Once the libraries are loaded the
 * files are no longer needed (the loaded copies stay mapped), so the folder is removed right
 * after ONNX Runtime starts. Its path is ONNX Runtime's private {@code OnnxRuntime.tempDirectory};
 * when that cannot be read, nothing is removed.
 *
 * <p>A fixed, reused folder set as {@code onnxruntime.native.path} was not used: ONNX Runtime
 * still creates the temp folder, and the JDK refuses to load one library file from two class
 * loaders, which the local host does (one class loader per app it runs).
 */
final class OrtRuntime {
    private static final Logger LOG = Logger.getLogger(OrtRuntime.class.getName());

    private OrtRuntime() {
    }

    /** The shared environment, started (and its extracted files removed) on first use. */
    static OrtEnvironment environment() {
        return Holder.ENV;
    }

    private static final class Holder {
        static final OrtEnvironment ENV = start();

        private static OrtEnvironment start() {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            extractionFolder().ifPresent(OrtRuntime::remove);
            return env;
        }
    }

    private static java.util.Optional<Path> extractionFolder() {
        try {
            Class<?> runtime = Class.forName("ai.onnxruntime.OnnxRuntime", false, OrtEnvironment.class.getClassLoader());
            Field field = runtime.getDeclaredField("tempDirectory");
            field.setAccessible(true);
            return java.util.Optional.ofNullable((Path) field.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot find ONNX Runtime's extraction folder; it stays until exit", e);
            return java.util.Optional.empty();
        }
    }

    /** Deletes the folder and what ONNX Runtime extracted into it (a file still in use, on Windows, stays). */
    static void remove(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot list " + folder, e);
            return;
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot delete " + path + "; ONNX Runtime deletes it on exit", e);
            }
        }
    }
}
