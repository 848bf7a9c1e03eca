package dev.greenlight.serving;

import com.fasterxml.jackson.databind.JsonNode;

/** A response that came from a model: which model and version answered, and the JSON body. */
public record ModelAnswer(String model, String version, JsonNode body) {
}
