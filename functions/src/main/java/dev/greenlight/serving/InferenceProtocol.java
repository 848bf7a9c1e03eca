package dev.greenlight.serving;

import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.ClientValue;
import dev.greenlight.json.Json;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Open Inference Protocol v2 (JSON/REST): model metadata and {@code infer}. Inputs carry their
 * own name, shape and datatype, which must match the model's signature exactly.
 */
public final class InferenceProtocol {
    private final ModelCache cache;

    public InferenceProtocol(ModelCache cache) {
        this.cache = cache;
    }

    /** {@code GET v2/models/{model}}: name, versions, platform, inputs and outputs. */
    public ModelAnswer metadata(String model) {
        return cache.withModel(model, loaded -> {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("name", loaded.model());
            body.putArray("versions").add(loaded.version());
            body.put("platform", "onnxruntime_onnx");
            body.set("inputs", specs(loaded.signature().inputs()));
            body.set("outputs", specs(loaded.signature().outputs()));
            if (!loaded.labels().isEmpty()) {
                ArrayNode labels = body.putObject("parameters").putArray("labels");
                loaded.labels().forEach(labels::add);
            }
            return new ModelAnswer(loaded.model(), loaded.version(), body);
        });
    }

    /** {@code POST v2/models/{model}/infer}. */
    public ModelAnswer infer(String model, String body) {
        JsonNode request = RequestJson.object(body);
        JsonNode inputs = request.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new BadRequest("invalid_request", "the body needs a non-empty \"inputs\" array");
        }
        return cache.withModel(model, loaded -> {
            Set<String> wanted = requestedOutputs(loaded.signature(), request.get("outputs"));
            Map<String, OnnxTensor> tensors = new HashMap<>();
            try {
                for (JsonNode input : inputs) {
                    String name = input.path("name").asText(null);
                    TensorSpec spec = checkInput(loaded.signature(), input, name, tensors.keySet());
                    tensors.put(name, InputTensors.create(spec, shape(input, name), input.get("data")));
                }
                for (String name : loaded.signature().inputNames()) {
                    if (!tensors.containsKey(name)) {
                        throw new BadRequest("missing_input", "input '" + name + "' is missing; the model's inputs are "
                                + loaded.signature().inputNames());
                    }
                }
                List<OutputTensor> outputs = Predictions.run(loaded, tensors, wanted);
                ObjectNode response = Json.MAPPER.createObjectNode();
                response.put("model_name", loaded.model());
                response.put("model_version", loaded.version());
                if (request.hasNonNull("id")) {
                    response.put("id", request.get("id").asText());
                }
                ArrayNode out = response.putArray("outputs");
                for (OutputTensor output : outputs) {
                    ObjectNode o = out.addObject();
                    o.put("name", output.name());
                    if (output.type() == null) {
                        o.set("data", output.nested());
                        continue;
                    }
                    o.put("datatype", output.type().name());
                    ArrayNode shape = o.putArray("shape");
                    for (long d : output.shape()) {
                        shape.add(d);
                    }
                    o.set("data", output.flatJson());
                }
                return new ModelAnswer(loaded.model(), loaded.version(), response);
            } finally {
                tensors.values().forEach(OnnxTensor::close);
            }
        });
    }

    private static TensorSpec checkInput(ModelSignature signature, JsonNode input, String name, Set<String> seen) {
        if (name == null) {
            throw new BadRequest("invalid_request", "every input needs a \"name\"");
        }
        TensorSpec spec = signature.input(name).orElseThrow(() -> new BadRequest("unknown_input",
                "input '" + ClientValue.clip(name) + "' is not an input of the model; its inputs are "
                        + signature.inputNames()));
        if (seen.contains(name)) {
            throw new BadRequest("duplicate_input", "input '" + name + "' is given twice");
        }
        String datatype = input.path("datatype").asText(null);
        if (datatype == null) {
            throw new BadRequest("invalid_request", "input '" + name + "' needs a \"datatype\"");
        }
        if (DataType.parse(datatype).isEmpty()) {
            throw new BadRequest("invalid_datatype", "input '" + name + "' has unknown datatype '"
                    + ClientValue.clip(datatype) + "'");
        }
        if (spec.type() != DataType.parse(datatype).get()) {
            throw new BadRequest("invalid_datatype", "input '" + name + "' expects datatype " + spec.type()
                    + ", got " + ClientValue.clip(datatype));
        }
        if (!input.has("data")) {
            throw new BadRequest("invalid_request", "input '" + name + "' needs \"data\"");
        }
        return spec;
    }

    private static long[] shape(JsonNode input, String name) {
        JsonNode shape = input.get("shape");
        if (shape == null || !shape.isArray()) {
            throw new BadRequest("invalid_request", "input '" + name + "' needs a \"shape\" array");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0) {
                throw new BadRequest("invalid_shape", "input '" + name + "' shape must hold non-negative integers");
            }
            dims[i] = d.asLong();
        }
        return dims;
    }

    private static Set<String> requestedOutputs(ModelSignature signature, JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return Set.of();
        }
        if (!outputs.isArray()) {
            throw new BadRequest("invalid_request", "\"outputs\" must be an array of {\"name\": ...}");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode o : outputs) {
            String name = o.path("name").asText(null);
            if (name == null || signature.output(name).isEmpty()) {
                throw new BadRequest("unknown_output", "requested output '" + ClientValue.clip(name)
                        + "' is not an output of the model; its outputs are " + signature.outputNames());
            }
            names.add(name);
        }
        return names;
    }

    private static ArrayNode specs(List<TensorSpec> specs) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (TensorSpec spec : specs) {
            ObjectNode node = array.addObject();
            node.put("name", spec.name());
            node.put("datatype", spec.type() == null ? "NON_TENSOR" : spec.type().name());
            ArrayNode shape = node.putArray("shape");
            for (long d : spec.shape()) {
                shape.add(d);
            }
        }
        return array;
    }
}
