# The pipeline's image, for Kubernetes (deploy/kubernetes/) or any container platform:
#   ./mvnw -B package -DskipTests && docker build -t <registry>/sora-batch:<version> .
# Settings come from environment variables (SORA_*) or a config/application.properties mounted at /app/config.
FROM eclipse-temurin:17-jre
# A user of its own: the pipeline needs no root, and a container that runs as root makes a breach worse.
RUN useradd --uid 10001 --home-dir /app --no-create-home sora && mkdir -p /app/data && chown sora /app/data
WORKDIR /app
COPY target/sora-batch.jar /app/sora-batch.jar
USER 10001
# Heap sized from the container's memory limit, not the node's.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8088
ENTRYPOINT ["java", "-jar", "/app/sora-batch.jar"]
