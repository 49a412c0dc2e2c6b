"""The MkDocs glue: the plugin, page reuse between builds, and the build command that runs MkDocs."""
