package dev.sorabatch.catalog;

import java.util.List;
import java.util.Optional;

/** The outcome of {@link ModelCatalog#check}: the normalised request, or every problem found, worded for the row's author. */
public record CheckResult(Optional<NormalisedRequest> request, List<String> problems) {

    public CheckResult {
        problems = List.copyOf(problems);
    }

    static CheckResult of(NormalisedRequest request) {
        return new CheckResult(Optional.of(request), List.of());
    }

    static CheckResult rejected(List<String> problems) {
        return new CheckResult(Optional.empty(), problems);
    }

    public boolean accepted() {
        return request.isPresent();
    }
}
