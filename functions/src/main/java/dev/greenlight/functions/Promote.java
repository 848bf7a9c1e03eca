package dev.greenlight.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.app.Greenlight;
import dev.greenlight.json.Json;
import dev.greenlight.promotion.Decision;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code POST /api/promote} (admin): {@code {"model","version","force"?,"requestId"?}} → the decision (a repeated requestId → the same one). */
public class Promote {
    private final Supplier<Greenlight> app;

    public Promote() {
        this(Greenlight::instance);
    }

    Promote(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("Promote")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ADMIN,
                    route = "promote") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            Greenlight greenlight = app.get();
            JsonNode body = Http.jsonBody(request, greenlight.settings().maxBodyBytes());
            Decision decision = greenlight.promotion().promote(Http.text(body, "model"), Http.text(body, "version"),
                    body.path("force").asBoolean(false), Http.actor(request), Http.optionalText(body, "requestId"));
            return Http.json(request, 200, Json.MAPPER.valueToTree(decision).toString());
        });
    }
}
