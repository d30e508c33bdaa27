// The playground page's entry: its stylesheet and the playground itself.
import "./style.css";
import { mountPlayground } from "./playground";

mountPlayground();
