# syntax=docker/dockerfile:1
# aevlp image: the `aevlp` command (cli jar + lib/) on a Java 17 JRE.
# Build from the repository root: docker build -t aevlp:0.1.0 .
# Pod args are the aevlp subcommand and its flags (k8s/), e.g. `coordinator --run-dir /runs ...`.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# the local repository is a BuildKit cache: rebuilds do not download the dependencies again
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package

# glibc base (Ubuntu): DJL's PyTorch native library does not load on musl (Alpine)
FROM eclipse-temurin:17-jre
# DJL must never reach the network (its engine start-up otherwise probes cloud metadata)
ENV DJL_OFFLINE=true
RUN groupadd --system --gid 10001 aevlp \
    && useradd --system --uid 10001 --gid aevlp --create-home --home-dir /home/aevlp aevlp \
    && mkdir -p /data /runs \
    && chown aevlp:aevlp /data /runs
# the jar's manifest class path points at lib/ next to it (cli/pom.xml)
COPY --from=build /src/cli/target/lib/ /opt/aevlp/lib/
COPY --from=build /src/cli/target/aevlp.jar /opt/aevlp/aevlp.jar
COPY --from=build /src/configs/ /opt/aevlp/configs/
# numeric, so that Kubernetes' runAsNonRoot can verify it
USER 10001:10001
WORKDIR /home/aevlp
# 50 % of the container's memory for the heap: libtorch and Netty live outside it
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-Dai.djl.offline=true", "-jar", "/opt/aevlp/aevlp.jar"]
CMD ["--help"]
