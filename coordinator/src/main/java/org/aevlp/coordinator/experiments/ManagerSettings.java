package org.aevlp.coordinator.experiments;

import java.util.concurrent.Executor;
import java.util.function.Function;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.coordinator.metrics.ClusterMetrics;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;

/**
 * What the experiment manager of a coordinator node works with.
 *
 * @param runs the run store: one directory per experiment, also the manager's durable state
 * @param runner how runners behave (data directory, pause timeout, ...)
 * @param tensors the node's tensor store, served to workers at {@code endpoint}
 * @param endpoint where workers reach the tensor store
 * @param observers extra listeners per experiment id, in this JVM (metrics, embedded tools)
 * @param clusterMetrics where the manager reports live workers and experiments by state
 * @param blocking where disk work (opening datasets, reading checkpoints) runs
 */
public record ManagerSettings(
    RunStore runs,
    RunnerSettings runner,
    TensorStore tensors,
    TensorEndpoint endpoint,
    Function<String, RunListener> observers,
    ClusterMetrics clusterMetrics,
    Executor blocking) {}
