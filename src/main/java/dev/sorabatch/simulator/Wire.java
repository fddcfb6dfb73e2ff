package dev.sorabatch.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.util.List;

/** JSON shapes of the OpenAI Videos API; record components map to snake_case fields, nulls included. */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Wire() {
    }

    record Video(String id, String object, String model, String status, int progress, long createdAt, Long completedAt,
                 Long expiresAt, String prompt, String size, String seconds, String remixedFromVideoId,
                 JobError error) {
    }

    /** A failed job's reason. */
    record JobError(String code, String message) {
    }

    record VideoList(String object, List<Video> data, String firstId, String lastId, boolean hasMore) {
    }

    record Deleted(String id, String object, boolean deleted) {
    }

    record ErrorEnvelope(ErrorBody error) {
    }

    record ErrorBody(String message, String type, String param, String code) {
    }
}
