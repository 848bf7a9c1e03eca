package dev.greenlight.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens a verified artifact in an ONNX Runtime session and proves it answers: a smoke inference
 * on neutral inputs (zeros, false, empty strings; dynamic dimensions as 1) before anyone is
 * allowed to send it traffic. Every floating-point output of the smoke run must be finite: a model
 * that answers NaN or infinity for neutral inputs is refused, like one that does not run.
 */
public final class ModelLoader {
    private final OrtEnvironment env = OrtRuntime.environment();
    private final int intraOpThreads;
    private final Clock clock;

    public ModelLoader(int intraOpThreads, Clock clock) {
        this.intraOpThreads = intraOpThreads;
        this.clock = clock;
    }

    /** Loads and smoke-tests; on any failure nothing stays open. */
    public LoadedModel load(String model, String version, String sha256, long generation, Path artifact)
            throws OrtException {
        OrtSession session;
        try {
            session = open(artifact);
        } catch (OrtException e) {
            // ONNX Runtime says "Protobuf parsing failed" for most broken files: say which way it is broken.
            java.util.Optional<String> problem = ArtifactFormat.problem(artifact);
            if (problem.isPresent()) {
                throw new IllegalStateException(problem.get(), e);
            }
            throw e;
        }
        try {
            ModelSignature signature = ModelSignature.of(session);
            smoke(session, signature);
            return new LoadedModel(model, version, sha256, generation, session, signature,
                    labels(session), clock.instant());
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private OrtSession open(Path artifact) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One shared session serves many request threads: one intra-op thread each is
            // fastest on small machines (default options lost up to half the throughput).
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(artifact.toString(), options);
        }
    }

    private static void smoke(OrtSession session, ModelSignature signature) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (TensorSpec spec : signature.inputs()) {
                inputs.put(spec.name(), neutral(spec));
            }
            try (OrtSession.Result result = session.run(inputs, Set.copyOf(signature.outputNames()))) {
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> output : result) {
                    requireFinite(output.getKey(), output.getValue());
                }
            } catch (OrtException e) {
                throw new IllegalStateException("the smoke inference (neutral inputs: zeros) failed: " + e.getMessage(), e);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Refuses a float or double output holding NaN or an infinity; other outputs have no such values. */
    private static void requireFinite(String name, ai.onnxruntime.OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor)) {
            return;
        }
        ai.onnxruntime.OnnxJavaType type = tensor.getInfo().type;
        long count = tensor.getInfo().getNumElements();
        if (type == ai.onnxruntime.OnnxJavaType.FLOAT) {
            java.nio.FloatBuffer floats = tensor.getFloatBuffer();
            for (int i = 0; i < count; i++) {
                if (!Float.isFinite(floats.get(i))) {
                    throw notFinite(name, floats.get(i), i, count);
                }
            }
        } else if (type == ai.onnxruntime.OnnxJavaType.DOUBLE) {
            java.nio.DoubleBuffer doubles = tensor.getDoubleBuffer();
            for (int i = 0; i < count; i++) {
                if (!Double.isFinite(doubles.get(i))) {
                    throw notFinite(name, doubles.get(i), i, count);
                }
            }
        }
    }

    private static IllegalStateException notFinite(String output, double value, int index, long count) {
        return new IllegalStateException("the smoke inference (neutral inputs: zeros) answered " + value
                + " in output '" + output + "' (element " + index + " of " + count
                + "); a model must answer finite numbers");
    }

    private static OnnxTensor neutral(TensorSpec spec) {
        if (spec.type() == null) {
            throw new IllegalStateException("input " + spec.describe() + " is not a tensor; Greenlight serves tensor inputs only");
        }
        long[] shape = spec.shape();
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shape[i] < 0 ? 1 : shape[i];
            count *= shape[i];
        }
        JsonNode value = switch (spec.type()) {
            case BOOL -> Json.MAPPER.getNodeFactory().booleanNode(false);
            case BYTES -> Json.MAPPER.getNodeFactory().textNode("");
            default -> Json.MAPPER.getNodeFactory().numberNode(0);
        };
        var flat = Json.MAPPER.createArrayNode();
        for (long i = 0; i < count; i++) {
            flat.add(value);
        }
        return InputTensors.create(spec, shape, flat);
    }

    private static List<String> labels(OrtSession session) throws OrtException {
        String raw = session.getMetadata().getCustomMetadata().get("labels");
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(raw);
            List<String> labels = new ArrayList<>();
            node.forEach(n -> labels.add(n.asText()));
            return labels;
        } catch (Exception e) {
            List<String> labels = new ArrayList<>();
            for (String s : raw.split(",")) {
                labels.add(s.trim());
            }
            return labels;
        }
    }
}
