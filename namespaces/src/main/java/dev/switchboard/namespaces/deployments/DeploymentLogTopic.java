package dev.switchboard.namespaces.deployments;

/** A /deployments log subscription: the deployment's name (PM2 process name or DEPLOYMENT_LOGS name) and streams. */
record DeploymentLogTopic(String deployment, boolean stdout, boolean stderr) {

    String key() {
        return deployment + (stdout ? ":out" : "") + (stderr ? ":err" : "");
    }
}
