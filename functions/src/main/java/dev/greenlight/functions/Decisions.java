package dev.greenlight.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.app.Greenlight;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.json.Json;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code GET /api/decisions?model=&limit=}: the most recent decisions, newest first. */
public class Decisions {
    private final Supplier<Greenlight> app;

    public Decisions() {
        this(Greenlight::instance);
    }

    Decisions(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("Decisions")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "decisions") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            Greenlight greenlight = app.get();
            String model = Optional.ofNullable(request.getQueryParameters().get("model"))
                    .orElse(greenlight.settings().models().get(0));
            int limit = limit(request.getQueryParameters().get("limit"));
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("model", model);
            body.set("decisions", Json.MAPPER.valueToTree(greenlight.promotion().decisions(model, limit)));
            return Http.json(request, 200, body.toString());
        });
    }

    private static int limit(String raw) {
        if (raw == null) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= 500) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest("invalid_limit", "limit must be an integer in [1, 500], was '" + raw + "'");
    }
}
