"""Files: safe writes, the user's folders, the cache, small JSON documents, images and exports."""
