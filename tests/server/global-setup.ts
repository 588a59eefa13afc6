// Builds the app once, before the server tests start their processes in parallel: several
// builds at once into the same folder would overwrite each other.
import { ensureBuild } from '../../scripts/bench/server';

export default function setup(): void {
	ensureBuild();
}
