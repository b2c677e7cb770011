package dev.precis.llm;

/**
 * The pods a model's per-minute budgets are shared with: a joined gateway spends only its share of
 * each limit, which the group sets from what every pod spends. Implementations must be thread-safe.
 */
public interface BudgetGroup {

    /** Where one model's split stands: this pod's share, the pods sharing, the group's spending per minute. */
    record State(double share, int members, double groupPerMinute) {

        /** A pod alone with its budget. */
        public static final State ALONE = new State(1.0, 1, 0);
    }

    /** No group: every budget is this pod's alone. */
    BudgetGroup NONE = new BudgetGroup() {
        @Override
        public void join(String model, ModelGateway gateway) {
        }

        @Override
        public State state(String model) {
            return State.ALONE;
        }
    };

    /** Shares {@code gateway}'s budgets with the group from now on. */
    void join(String model, ModelGateway gateway);

    /** Where {@code model}'s split stands now. */
    State state(String model);
}
