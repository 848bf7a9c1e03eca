package dev.greenlight.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Read access to the Iris models generated at build time into this jar, so other modules can seed a registry
 * or a model store from the classpath without training anything.
 */
public final class DemoModels {

    /** Classpath folder of the generated files; {@link IrisTrainer} writes there during {@code process-classes}. */
    public static final String RESOURCE_FOLDER = "/dev/greenlight/demo/models/";
    public static final String MANIFEST_FILE = "models.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoModels() {
    }

    /** The parsed {@code models.json}. */
    public static DemoManifest manifest() {
        try (InputStream in = open(MANIFEST_FILE)) {
            return JSON.readValue(in, DemoManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_FOLDER + MANIFEST_FILE, e);
        }
    }

    /** A stream over one generated file, e.g. {@code iris-clf-1.onnx}; the caller closes it. */
    public static InputStream open(String file) {
        if (file.contains("/") || file.contains("\\")) {
            throw new IllegalArgumentException("expected a bare file name, got " + file);
        }
        InputStream in = DemoModels.class.getResourceAsStream(RESOURCE_FOLDER + file);
        if (in == null) {
            throw new IllegalArgumentException("no generated demo file " + RESOURCE_FOLDER + file
                    + " on the classpath (is the greenlight-demo jar built?)");
        }
        return in;
    }

    /** The whole content of one generated file. */
    public static byte[] bytes(String file) {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_FOLDER + file, e);
        }
    }
}
