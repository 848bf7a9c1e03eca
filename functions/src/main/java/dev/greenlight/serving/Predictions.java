package dev.greenlight.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.ClientValue;
import dev.greenlight.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simple prediction API: {@code {"instances": [...]}} in, {@code {"predictions": [...]}}
 * out. An instance is the value of the model's only input, or an object naming every input.
 * When every input has a dynamic first dimension, instances are stacked into one batch;
 * otherwise each instance runs on its own. Classifiers whose file carries {@code labels}
 * answer with a label and its scores.
 */
public final class Predictions {
    private final ModelCache cache;

    public Predictions(ModelCache cache) {
        this.cache = cache;
    }

    /** Predicts with {@code model}, or the default model when it is null or blank. */
    public ModelAnswer predict(String model, String body) {
        String name = model == null || model.isBlank() ? cache.models().get(0) : model;
        JsonNode request = RequestJson.object(body);
        JsonNode instances = request.get("instances");
        if (instances == null || !instances.isArray() || instances.isEmpty()) {
            throw new BadRequest("invalid_request", "the body needs a non-empty \"instances\" array");
        }
        return cache.withModel(name, loaded -> answer(loaded, instances));
    }

    private static ModelAnswer answer(LoadedModel loaded, JsonNode instances) {
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            rows.add(byInput(loaded.signature(), instances.get(i), i));
        }
        boolean batch = loaded.signature().inputs().stream().allMatch(TensorSpec::batchable);
        ArrayNode predictions = Json.MAPPER.createArrayNode();
        if (batch) {
            Map<String, JsonNode> stacked = new LinkedHashMap<>();
            for (TensorSpec spec : loaded.signature().inputs()) {
                ArrayNode column = Json.MAPPER.createArrayNode();
                rows.forEach(row -> column.add(row.get(spec.name())));
                stacked.put(spec.name(), column);
            }
            List<OutputTensor> outputs = run(loaded, stacked);
            for (int i = 0; i < rows.size(); i++) {
                predictions.add(prediction(loaded, outputs, i, rows.size()));
            }
        } else {
            for (Map<String, JsonNode> row : rows) {
                Map<String, JsonNode> single = new LinkedHashMap<>();
                for (TensorSpec spec : loaded.signature().inputs()) {
                    JsonNode value = row.get(spec.name());
                    boolean wrap = spec.rank() > 0 && (spec.dim(0) == -1 || spec.dim(0) == 1)
                            && InputTensors.shapeOf(value, spec.name()).length == spec.rank() - 1;
                    single.put(spec.name(), wrap ? Json.MAPPER.createArrayNode().add(value) : value);
                }
                predictions.add(prediction(loaded, run(loaded, single), 0, 1));
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", loaded.model());
        body.put("version", loaded.version());
        body.set("predictions", predictions);
        return new ModelAnswer(loaded.model(), loaded.version(), body);
    }

    private static Map<String, JsonNode> byInput(ModelSignature signature, JsonNode instance, int index) {
        List<String> names = signature.inputNames();
        Map<String, JsonNode> values = new HashMap<>();
        if (instance.isObject() && (names.size() > 1 || instance.has(names.get(0)))) {
            instance.fieldNames().forEachRemaining(field -> {
                if (!names.contains(field)) {
                    throw new BadRequest("unknown_input", "instance " + index + " names input '"
                            + ClientValue.clip(field) + "', which the model does not have; its inputs are " + names);
                }
            });
            for (String name : names) {
                JsonNode value = instance.get(name);
                if (value == null) {
                    throw new BadRequest("missing_input", "instance " + index + " is missing input '" + name
                            + "'; the model's inputs are " + names);
                }
                values.put(name, value);
            }
        } else if (names.size() == 1) {
            values.put(names.get(0), instance);
        } else {
            throw new BadRequest("invalid_request", "the model has inputs " + names
                    + ": instance " + index + " must be an object naming each of them");
        }
        return values;
    }

    static List<OutputTensor> run(LoadedModel loaded, Map<String, JsonNode> values) {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (TensorSpec spec : loaded.signature().inputs()) {
                JsonNode value = values.get(spec.name());
                tensors.put(spec.name(), InputTensors.create(spec, InputTensors.shapeOf(value, spec.name()), value));
            }
            return run(loaded, tensors, Set.of());
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** Runs the session and copies the outputs out; ONNX Runtime's complaints are the input's fault. */
    static List<OutputTensor> run(LoadedModel loaded, Map<String, OnnxTensor> tensors, Set<String> wanted) {
        try (OrtSession.Result result = loaded.run(tensors, wanted)) {
            List<OutputTensor> outputs = new ArrayList<>();
            for (Map.Entry<String, OnnxValue> entry : result) {
                outputs.add(OutputTensor.copy(entry.getKey(), entry.getValue()));
            }
            return outputs;
        } catch (OrtException e) {
            throw new BadRequest("inference_failed", "the model could not run on this input: " + e.getMessage());
        }
    }

    private static JsonNode prediction(LoadedModel loaded, List<OutputTensor> outputs, int row, int rows) {
        List<String> labels = loaded.labels();
        if (!labels.isEmpty()) {
            for (OutputTensor output : outputs) {
                if (isScores(output, labels.size(), rows)) {
                    return labelled(labels, output.rowAsDoubles(row));
                }
            }
        }
        if (outputs.size() == 1) {
            return slice(outputs.get(0), row, rows);
        }
        ObjectNode all = Json.MAPPER.createObjectNode();
        outputs.forEach(output -> all.set(output.name(), slice(output, row, rows)));
        return all;
    }

    private static boolean isScores(OutputTensor output, int labels, int rows) {
        long[] shape = output.shape();
        return (output.type() == DataType.FP32 || output.type() == DataType.FP64)
                && shape.length == 2 && shape[0] == rows && shape[1] == labels;
    }

    private static JsonNode slice(OutputTensor output, int row, int rows) {
        long[] shape = output.shape();
        boolean perRow = output.type() != null && shape.length > 0 && shape[0] == rows;
        return perRow ? output.row(row) : output.nested();
    }

    private static JsonNode labelled(List<String> labels, double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        ObjectNode prediction = Json.MAPPER.createObjectNode();
        prediction.put("label", labels.get(best));
        ObjectNode byLabel = prediction.putObject("scores");
        for (int i = 0; i < scores.length; i++) {
            byLabel.put(labels.get(i), (float) scores[i]);
        }
        return prediction;
    }
}
