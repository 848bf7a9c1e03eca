package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.app.Greenlight;
import java.util.Optional;
import java.util.function.Supplier;

/** `POST /api/predict`: `{"instances": [...]}` → predictions from the model's baseline. */
public class Predict {
    private final Supplier<Greenlight> app;

    public Predict() {
        this(Greenlight::instance);
    }

    Predict(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("Predict")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "predict") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            Greenlight greenlight = app.get();
            String body = Http.body(request, greenlight.settings().maxBodyBytes());
            return Http.answer(request, greenlight.predictions().predict(request.getQueryParameters().get("model"), body));
        });
    }
}
