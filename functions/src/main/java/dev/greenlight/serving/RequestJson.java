package dev.greenlight.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.json.Json;

/** Parses request bodies into JSON with errors that say where, never what. */
final class RequestJson {
    private RequestJson() {
    }

    static JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            throw new BadRequest("empty_body", "the request needs a JSON body");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new BadRequest("malformed_json", "the request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest("malformed_json", "the request body must be a JSON object");
        }
        return node;
    }
}
