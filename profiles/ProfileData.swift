// Anchor for the ProfileData target. The build-tool plugin `EmbedProfiles` turns every *.yaml file
// beside this one into `BuiltinProfiles.files` (generated), so the installed binary carries them.
