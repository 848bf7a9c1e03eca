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
import dev.greenlight.fanout.RefreshReceiver;
import dev.greenlight.fanout.RefreshSignature;
import dev.greenlight.json.Json;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/refresh-model} (anonymous; HMAC-signed): make this instance check its pointer
 * now. 200 when it serves the named version, 202 while it loads, 409 for an older generation,
 * 401 for a missing, wrong or stale signature.
 */
public class RefreshModel {
    private final Supplier<Greenlight> app;

    public RefreshModel() {
        this(Greenlight::instance);
    }

    RefreshModel(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("RefreshModel")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "refresh-model") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            Greenlight greenlight = app.get();
            String body = Http.body(request, greenlight.settings().maxBodyBytes());
            RefreshReceiver.Answer answer = greenlight.refresh().refresh(
                    Http.header(request.getHeaders(), RefreshSignature.HEADER), body);
            ObjectNode json = Json.MAPPER.createObjectNode().put("model", answer.model()).put("version", answer.version());
            return Http.json(request, answer.status(), json.toString());
        });
    }
}
