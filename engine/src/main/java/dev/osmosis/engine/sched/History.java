package dev.osmosis.engine.sched;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Arrays a sampler carries from one step to a later one. It keeps its own copies, taken out of
 * the caller's {@link NDScope} so that a per-step scope cannot close them, and closes each copy
 * when it ages out.
 */
final class History {
    private final int capacity;
    private final Deque<NDArray> arrays = new ArrayDeque<>();

    History(int capacity) {
        this.capacity = capacity;
    }

    void push(NDArray array) {
        NDArray copy = array.duplicate();
        NDScope.unregister(copy);
        arrays.addFirst(copy);
        while (arrays.size() > capacity) {
            arrays.removeLast().close();
        }
    }

    /** The array pushed {@code back} pushes ago (0 = the latest). */
    NDArray get(int back) {
        if (back >= arrays.size()) {
            throw new IllegalStateException("sampler history holds " + arrays.size() + " arrays, asked for #" + back);
        }
        return arrays.stream().skip(back).findFirst().orElseThrow();
    }

    int size() {
        return arrays.size();
    }

    boolean isEmpty() {
        return arrays.isEmpty();
    }

    void clear() {
        arrays.forEach(NDArray::close);
        arrays.clear();
    }
}
